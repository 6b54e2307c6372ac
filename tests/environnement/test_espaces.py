"""The INPN layers importer on the real territory: formats, type and millésime, territory, repairs,
re-import, the layer replacing its type, the coverage recomputed in the same transaction."""

import io
import json
from pathlib import Path

import pytest
import shapely
from django.core.management import CommandError, call_command
from django.db.models import Count
from pyproj import Transformer

from environnement.enums import TypeEspace
from environnement.espaces import EspacesNaturelsImporter, millesime_named, types_named
from environnement.models import CouvertureCommune, EspaceNaturel
from environnement.tasks import schedule_recompute
from observatoire.imports.base import ImportRejected, get_importer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "inpn"


def run(name, *args):
    out = io.StringIO()
    call_command("import_espaces_naturels", str(FIXTURES / name), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write_geojson(path, features):
    """A small GeoJSON (EPSG:4326) of (properties, ring) over Aix-en-Provence for edge cases."""
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": props,
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                    for props, ring in features
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def ring(x, y, size=0.01):
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


@pytest.mark.parametrize(
    ("name", "kind", "year"),
    [
        ("znieff1_2024.geojson", TypeEspace.ZNIEFF1, 2024),
        ("patrinat_znieff2:znieff2", TypeEspace.ZNIEFF2, None),
        ("ZNIEFF1_G2.shp", TypeEspace.ZNIEFF1, None),
        ("znieff_type_2_paca.gpkg", TypeEspace.ZNIEFF2, None),
        ("zps1810.shp", TypeEspace.NATURA_ZPS, 2018),
        ("sic1810.shp", TypeEspace.NATURA_SIC, 2018),
        ("natura2000_zsc_20240115.gpkg", TypeEspace.NATURA_SIC, 2024),
        ("natura2000_zps.geojson", TypeEspace.NATURA_ZPS, None),
        ("INPN_08_2024/pn/N_ENP_PN_S_000.shp", TypeEspace.PARC_NATIONAL, 2024),
        ("N_ENP_PNR_S_000.shp", TypeEspace.PNR, None),
        ("N_ENP_RNN_S_000.shp", TypeEspace.RESERVE_NATURELLE, None),
        ("Réserves naturelles régionales 2025.geojson", TypeEspace.RESERVE_NATURELLE, 2025),
        ("inpn_export.geojson", None, None),
    ],
)
def test_type_and_millesime_from_the_producers_names(name, kind, year):
    assert types_named(name) == ({kind} if kind else set())
    assert millesime_named(name) == year


def test_a_znieff_layer_in_4326_is_stored_in_lambert_93_with_its_coverage(territoire):
    out = run("znieff1_2024.geojson")
    assert "2 lignes lues, 2 ajoutées, 0 mises à jour, 0 hors du territoire." in out
    sormiou = EspaceNaturel.objects.get(identifiant="930012449")
    assert (sormiou.type, sormiou.millesime, sormiou.geom.srid) == (TypeEspace.ZNIEFF1, 2024, 2154)
    assert sormiou.nom == "Calanques de Sormiou et de Morgiou"
    # The Sormiou ZNIEFF lies wholly in Marseille: Marseille's covered surface is its area, computed
    # here from the fixture's coordinates with pyproj and shapely, not by PostGIS.
    coordinates = json.loads((FIXTURES / "znieff1_2024.geojson").read_text())["features"][1]["geometry"]
    to_l93 = Transformer.from_crs(4326, 2154, always_xy=True)
    area = shapely.Polygon([to_l93.transform(x, y) for x, y in coordinates["coordinates"][0]]).area
    marseille = CouvertureCommune.objects.get(commune__insee="13055", type=TypeEspace.ZNIEFF1)
    assert marseille.surface_ha == pytest.approx(area / 10_000, rel=1e-6)
    assert marseille.part == pytest.approx(area / territoire.get(insee="13055").geom.area * 100, rel=1e-6)
    assert marseille.millesime == 2024


def test_reimport_is_idempotent(territoire):
    run("znieff1_2024.geojson")
    before = list(
        CouvertureCommune.objects.order_by("commune", "type").values_list("commune", "type", "part")
    )
    out = run("znieff1_2024.geojson")
    assert "2 lignes lues, 0 ajoutées, 2 mises à jour" in out
    assert EspaceNaturel.objects.count() == 2
    after = list(CouvertureCommune.objects.order_by("commune", "type").values_list("commune", "type", "part"))
    assert after == before


def test_a_znieff_i_inside_its_znieff_ii_is_not_counted_twice(territoire):
    run("znieff1_2024.geojson")
    run("znieff2.zip", "--millesime", "2024")
    saint_antonin = territoire.get(insee="13090")
    merged = CouvertureCommune.objects.get(commune=saint_antonin, type="")
    znieff2 = CouvertureCommune.objects.get(commune=saint_antonin, type=TypeEspace.ZNIEFF2)
    znieff1 = CouvertureCommune.objects.get(commune=saint_antonin, type=TypeEspace.ZNIEFF1)
    assert znieff1.part > 10
    assert merged.part == pytest.approx(znieff2.part, rel=1e-6)
    assert merged.part < znieff1.part + znieff2.part


def test_sic_and_zps_overlapping_count_once_in_the_merged_coverage(territoire):
    run("sic_wfs_3857.geojson", "--millesime", "2025")
    run("pn.zip", "--millesime", "2024")
    marseille = territoire.get(insee="13055")
    rows = {r.type: r for r in CouvertureCommune.objects.filter(commune=marseille)}
    assert rows[TypeEspace.NATURA_SIC].part > 0 and rows[TypeEspace.PARC_NATIONAL].part > 0
    assert rows[""].part < rows[TypeEspace.NATURA_SIC].part + rows[TypeEspace.PARC_NATIONAL].part
    assert rows[""].part >= max(rows[TypeEspace.NATURA_SIC].part, rows[TypeEspace.PARC_NATIONAL].part)
    assert rows[""].millesime == 2025


def test_web_mercator_coordinates_are_reprojected(territoire):
    run("sic_wfs_3857.geojson", "--millesime", "2025")
    berre = EspaceNaturel.objects.get(identifiant="FR9301597")
    assert berre.type == TypeEspace.NATURA_SIC
    assert len(berre.geom) == 2  # Marignane and Rognac parts
    # Hand-drawn as 0.03° × 0.02° (and 0.03° × 0.02°): about 2.4 × 2.2 km each in Lambert-93, not the
    # 1.9 times larger surface the EPSG:3857 coordinates would give.
    assert 800 < berre.geom.area / 10_000 < 1200


def test_the_aire_d_adhesion_is_set_aside_and_3d_is_flattened(territoire):
    out = run("pn.zip", "--millesime", "2024")
    assert "1 aire(s) d'adhésion de parc national écartée(s)" in out
    coeur = EspaceNaturel.objects.get()
    assert (coeur.type, coeur.identifiant, coeur.nom) == (TypeEspace.PARC_NATIONAL, "FR3300010", "Calanques")
    assert not coeur.geom.hasz


def test_a_geopackage_in_lambert_93_with_a_multipolygon(territoire):
    run("zps_2023.gpkg")
    lancon = EspaceNaturel.objects.get(identifiant="FR9310069")
    assert (lancon.type, lancon.millesime, len(lancon.geom)) == (TypeEspace.NATURA_ZPS, 2023, 2)


def test_an_invalid_polygon_is_repaired_and_counted(territoire):
    out = run("znieff1_2023_arbois.geojson")
    assert "1 géométrie(s) invalide(s) réparée(s) (entités 1)" in out
    arbois = EspaceNaturel.objects.get(identifiant="930020471")
    assert arbois.geom.valid
    assert len(arbois.geom) == 2  # the bow-tie's two triangles


def test_a_layer_replaces_the_areas_of_its_type_unless_complement(territoire, tmp_path):
    run("znieff1_2024.geojson")
    run("znieff2.zip", "--millesime", "2024")
    out = run("znieff1_2023_arbois.geojson", "--complement")
    assert set(
        EspaceNaturel.objects.filter(type=TypeEspace.ZNIEFF1).values_list("identifiant", flat=True)
    ) == {
        "930020228",
        "930012449",
        "930020471",
    }
    out = run("znieff1_2023_arbois.geojson")
    assert "1 espace(s) « ZNIEFF de type I » absent(s) de cette couche : supprimé(s)" in out
    assert set(
        EspaceNaturel.objects.filter(type=TypeEspace.ZNIEFF1).values_list("identifiant", flat=True)
    ) == {
        "930020228",
        "930020471",
    }
    assert EspaceNaturel.objects.filter(type=TypeEspace.ZNIEFF2).count() == 2  # other types untouched
    marseille = CouvertureCommune.objects.get(commune__insee="13055", type=TypeEspace.ZNIEFF1)
    assert (marseille.part, marseille.millesime) == (0, 2023)  # Sormiou gone: coverage follows


def test_a_file_of_brittany_is_refused_naming_where_it_lies(territoire):
    with pytest.raises(CommandError, match=r"Finistère \(29\) : Crozon, Brasparts"):
        run("znieff1_bretagne_2024.geojson")
    assert not EspaceNaturel.objects.exists()


def test_a_file_without_type_asks_for_it_listing_the_choices(territoire):
    with pytest.raises(CommandError) as refused:
        run("perimetres_export_2024.geojson")
    assert "--type" in str(refused.value) and "reserve_naturelle (Réserve naturelle)" in str(refused.value)
    run("perimetres_export_2024.geojson", "--type", "PNR")
    assert EspaceNaturel.objects.get().type == TypeEspace.PNR
    with pytest.raises(CommandError, match="Type d'espace « parc » inconnu"):
        run("perimetres_export_2024.geojson", "--type", "parc")
    with pytest.raises(CommandError, match="Millésime « 24 » invalide"):
        run("perimetres_export_2024.geojson", "--type", "pnr", "--millesime", "24")


def test_areas_outside_are_counted_and_those_inside_kept(territoire, tmp_path):
    path = write_geojson(
        tmp_path / "znieff1_2024.geojson",
        [
            ({"ID_MNHN": "930000001", "NOM": "Aix"}, ring(5.40, 43.55)),
            ({"ID_MNHN": "530000002", "NOM": "Crozon"}, ring(-4.50, 48.24)),
        ],
    )
    summary = get_importer("espaces_naturels").execute(path)
    assert (summary.read, summary.inserted, summary.skipped_outside) == (2, 1, 1)
    assert EspaceNaturel.objects.get().identifiant == "930000001"


def test_errors_name_the_feature_and_the_field(territoire, tmp_path):
    path = write_geojson(
        tmp_path / "znieff1_2024.geojson",
        [
            ({"ID_MNHN": "930000001", "NOM": "Aix"}, ring(5.40, 43.55)),
            ({"ID_MNHN": "", "NOM": ""}, ring(5.42, 43.55)),
        ],
    )
    with pytest.raises(ImportRejected) as refused:
        get_importer("espaces_naturels").execute(path)
    assert refused.value.errors == [
        "entité 2, champ ID_MNHN : identifiant vide.",
        "entité 2, champ NOM : nom vide.",
    ]
    assert not EspaceNaturel.objects.exists()


def test_missing_fields_are_named_with_their_alternatives(territoire, tmp_path):
    path = write_geojson(
        tmp_path / "zps_2024.geojson", [({"code": "FR9310069", "libelle": "x"}, ring(5.40, 43.55))]
    )
    with pytest.raises(ImportRejected) as refused:
        get_importer("espaces_naturels").execute(path)
    assert (
        "absent(s) pour une couche « Natura 2000 : zone de protection spéciale (directive Oiseaux) » : "
        in str(refused.value)
    )
    expected = "SITECODE ou CD_SIG, SITENAME ou SITE_NAME ou NOM_SITE ou NOM. Champs du fichier : code,"
    assert expected in str(refused.value)


def test_the_european_sitetype_says_the_directive(territoire, tmp_path):
    features = [
        ({"SITECODE": "FR9310001", "SITENAME": "ZPS", "SITETYPE": "A"}, ring(5.40, 43.55)),
        ({"SITECODE": "FR9301002", "SITENAME": "SIC", "SITETYPE": "B"}, ring(5.42, 43.55)),
        ({"SITECODE": "FR9301003", "SITENAME": "Les deux", "SITETYPE": "C"}, ring(5.44, 43.55)),
    ]
    path = write_geojson(tmp_path / "natura2000_2024.geojson", features)
    with pytest.raises(ImportRejected, match="ses entités sont de plusieurs types"):
        get_importer("espaces_naturels").execute(path)
    summary = EspacesNaturelsImporter(TypeEspace.NATURA_SIC).execute(path)
    assert (summary.inserted, summary.details["autres_types"]) == (2, 1)
    assert set(EspaceNaturel.objects.values_list("identifiant", flat=True)) == {"FR9301002", "FR9301003"}
    zps_only = write_geojson(tmp_path / "n2000_2024.geojson", [features[0], features[2]])
    get_importer("espaces_naturels").execute(zps_only)
    assert EspaceNaturel.objects.filter(type=TypeEspace.NATURA_ZPS).count() == 2


def test_features_of_one_site_are_merged(territoire, tmp_path):
    path = write_geojson(
        tmp_path / "znieff2_2024.geojson",
        [
            ({"ID_MNHN": "930000009", "NOM": "Site"}, ring(5.40, 43.55)),
            ({"ID_MNHN": "930000009", "NOM": "Site"}, ring(5.45, 43.55)),
        ],
    )
    summary = get_importer("espaces_naturels").execute(path)
    assert (summary.read, summary.inserted, summary.details["parties_reunies"]) == (2, 1, 1)
    assert len(EspaceNaturel.objects.get().geom) == 2


def test_dry_run_writes_nothing_and_the_recompute_follows_the_commit(
    territoire, django_capture_on_commit_callbacks
):
    progress = []
    summary = get_importer("espaces_naturels").execute(
        FIXTURES / "znieff1_2024.geojson",
        dry_run=True,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert (summary.inserted, summary.dry_run) == (2, True)
    assert not EspaceNaturel.objects.exists() and not CouvertureCommune.objects.exists()
    assert progress[-1] == (2, 2)
    with django_capture_on_commit_callbacks() as callbacks:
        get_importer("espaces_naturels").execute(FIXTURES / "znieff1_2024.geojson")
    assert schedule_recompute in callbacks
    assert CouvertureCommune.objects.filter(type=TypeEspace.ZNIEFF1).count() == territoire.count()


def test_demo_layers_go_through_the_importer(territoire, tmp_path):
    import time

    from environnement.demo_espaces import write_demo_files

    started = time.monotonic()
    files = write_demo_files(tmp_path)
    summaries = [get_importer(kind).execute(path) for kind, path in files]
    assert time.monotonic() - started < 20
    assert {kind for kind, _ in files} == {"espaces_naturels"}
    assert all(summary.skipped_outside == 0 for summary in summaries)
    counts = dict(EspaceNaturel.objects.values_list("type").annotate(n=Count("id")))
    assert counts == {
        TypeEspace.ZNIEFF1: 5,  # the 2024 layer replaced the 2023 one
        TypeEspace.ZNIEFF2: 4,
        TypeEspace.NATURA_SIC: 3,
        TypeEspace.NATURA_ZPS: 3,
        TypeEspace.PARC_NATIONAL: 1,  # the cœur; the aire d'adhésion set aside
        TypeEspace.PNR: 2,
        TypeEspace.RESERVE_NATURELLE: 1,
    }
    assert set(EspaceNaturel.objects.values_list("millesime", flat=True)) == {2024}
    covered = CouvertureCommune.objects.filter(type="", part__gt=0)
    assert {"13055", "13022", "13090", "13014", "13001"} <= set(
        covered.values_list("commune__insee", flat=True)
    )
    assert CouvertureCommune.objects.filter(part__gt=100).count() == 0


def test_a_type_the_attributes_contradict_is_refused(territoire):
    with pytest.raises(
        CommandError, match="Aucune entité de type « ZNIEFF de type I » dans le fichier : 1 d'un autre"
    ):
        run("pn.zip", "--type", "znieff1", "--millesime", "2024")


def test_the_admin_offers_one_kind_per_type_and_assumes_the_current_year(territoire, tmp_path):
    from datetime import date

    from observatoire.imports.base import choices

    kinds = dict(choices())
    assert "espaces_naturels:znieff1" in kinds and "espaces_naturels:reserve_naturelle" in kinds
    assert "ZNIEFF de type I" in kinds["espaces_naturels:znieff1"]
    # The admin's worker reads the upload under a temporary name: no type, no year in it.
    uploaded = tmp_path / "tmpk3v9x2.zip"
    uploaded.write_bytes((FIXTURES / "znieff2.zip").read_bytes())
    summary = get_importer("espaces_naturels:znieff2").execute(uploaded)
    assert summary.inserted == 2
    assert EspaceNaturel.objects.filter(millesime=date.today().year).count() == 2
    assert "l'année en cours" in summary.warnings[0]
    named = tmp_path / "tmpa81.geojson"
    named.write_bytes((FIXTURES / "znieff1_2024.geojson").read_bytes())
    with pytest.raises(ImportRejected, match="Millésime de la couche introuvable"):
        get_importer("espaces_naturels").execute(named)  # the command's importer asks for it


def test_the_single_natura_2000_layer_of_december_2024(territoire, tmp_path):
    """INPN's NATURA_BDD_122024/SIG_NATURA/natura_sig.shp (as a public reuser inventoried it): SIC and
    ZPS in one layer, fields ``cd_sig`` (« I098 » + site code) and ``type_espac``, no name."""
    features = [
        ({"cd_sig": "I098FR9301603", "type_espac": "SIC"}, ring(5.40, 43.55)),
        ({"cd_sig": "I098FR9310069", "type_espac": "ZPS"}, ring(5.42, 43.55)),
    ]
    path = write_geojson(tmp_path / "natura_sig_2024.geojson", features)
    with pytest.raises(ImportRejected, match="ses entités sont de plusieurs types"):
        get_importer("espaces_naturels").execute(path)
    summary = EspacesNaturelsImporter(TypeEspace.NATURA_ZPS).execute(path)
    assert (summary.inserted, summary.details["autres_types"]) == (1, 1)
    zps = EspaceNaturel.objects.get(type=TypeEspace.NATURA_ZPS)
    assert (zps.identifiant, zps.nom, zps.millesime) == ("FR9310069", "FR9310069", 2024)
