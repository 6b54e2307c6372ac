import datetime

import pytest
import shapely
from django.core.management import CommandError, call_command

from foncier.models import ZonePlu

from .test_gisements import inside, write_layer

IDURBA = "200054807_20191219"
LINE = shapely.LineString([(0, 0), (1, 1)])


def zone(libelle, typezone, insee, geometry, **fields):
    return {
        "IDURBA": IDURBA, "LIBELLE": libelle, "LIBELONG": f"Zone {libelle}", "TYPEZONE": typezone,
        "DESTDOMI": "01", "NOMFIC": "reglement.pdf", "URLFIC": "https://exemple.fr/reglement.pdf",
        "INSEE": insee, "DATAPPRO": "20191219", "DATVALID": "20200120", "geometry": geometry, **fields,
    }  # fmt: skip


def zones_rows():
    return [
        zone("1AU", "AUc", "13001", inside("13001")),
        # A second polygon of the same zone (same IDURBA, LIBELLE, INSEE): one zone, their union.
        zone("1AU", "AUc", "13001", inside("13001", dx=500)),
        zone("UA", "U", "13001", inside("13001", dy=300)),
        # INSEE left empty: the commune holding the polygon, found by PostGIS.
        zone("2AU", "AUs", "", inside("13055", width=200, height=100)),
        zone("N", "N", "83137", shapely.box(940_000, 6_225_000, 940_100, 6_225_100)),
    ]


def test_geopackage_layer_zone_urba_is_read_and_polygons_of_a_key_are_merged(territoire, tmp_path, capsys):
    path = write_layer(tmp_path, zones_rows(), "plui.gpkg", layer="zone_urba")
    # The CNIG GeoPackage holds other layers: zone_urba is the one read.
    write_layer(
        tmp_path, [{"TYPEPSC": "01", "geometry": inside("13001")}], "plui.gpkg", layer="prescription_surf"
    )
    call_command("import_zones_plu", str(path))
    assert "5 lignes lues, 3 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    au = ZonePlu.objects.get(libelle="1AU", insee="13001")
    assert au.surface_m2 == pytest.approx(10_000, abs=1)  # two 100 m × 50 m rectangles
    assert len(au.geom) == 2 and au.geom.srid == 2154
    assert (au.typezone, au.datappro, au.datvalid) == (
        "AUc",
        datetime.date(2019, 12, 19),
        datetime.date(2020, 1, 20),
    )
    marseille = ZonePlu.objects.get(libelle="2AU")
    assert (marseille.insee, marseille.commune.insee, marseille.typezone) == ("13055", "13055", "AUs")
    assert set(ZonePlu.objects.a_urbaniser().values_list("libelle", flat=True)) == {"1AU", "2AU"}


@pytest.mark.parametrize("name", ["zones.geojson", "zones.shp"])
def test_geojson_and_shapefile_with_lower_case_fields(territoire, tmp_path, name):
    rows = [{key.lower(): value for key, value in row.items()} for row in zones_rows()[:3]]
    call_command("import_zones_plu", str(write_layer(tmp_path, rows, name)))
    assert ZonePlu.objects.count() == 2


def test_reimport_is_idempotent_and_drops_zones_gone_from_the_document(territoire, tmp_path, capsys):
    path = write_layer(tmp_path, zones_rows(), "plui.gpkg", layer="zone_urba")
    call_command("import_zones_plu", str(path))
    call_command("import_zones_plu", str(path))
    assert "0 ajoutées, 3 mises à jour" in capsys.readouterr().out
    # The new version of Aix's zoning has no UA zone any more; Marseille's zones are not in the file.
    rows = [row for row in zones_rows() if row["LIBELLE"] != "UA" and row["INSEE"] == "13001"]
    call_command("import_zones_plu", str(write_layer(tmp_path, rows, "v2.geojson")), dry_run=True)
    assert ZonePlu.objects.count() == 3
    call_command("import_zones_plu", str(write_layer(tmp_path, rows, "v3.geojson")))
    assert sorted(ZonePlu.objects.values_list("libelle", flat=True)) == ["1AU", "2AU"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r[2].update(TYPEZONE="AUx"), "entité 3, champ TYPEZONE : type « AUx » inconnu"),
        (lambda r: r[0].update(DATAPPRO="20191345"), "entité 1, champ DATAPPRO : date invalide « 20191345 »"),
        (lambda r: r[3].update(IDURBA=""), "entité 4, champ IDURBA : valeur vide"),
        (lambda r: r[1].update(INSEE="1300A1"), "entité 2, champ INSEE : code commune invalide"),
        # Before: a letter O for a zero was a commune outside the territory, the zone counted outside.
        (lambda r: r[1].update(INSEE="13O01"), "entité 2, champ INSEE : code commune invalide « 13O01 »"),
        (lambda r: r[1].update(TYPEZONE="U"), "entité 2, champ TYPEZONE : « U » alors que l'entité 1"),
        (lambda r: r[0].update(geometry=LINE), "entité 1, champ géométrie : .*Line"),
    ],
    ids=["typezone", "date", "idurba", "insee", "insee-lettre-o", "cle-incoherente", "ligne"],
)  # fmt: skip
def test_a_bad_feature_rejects_the_file(territoire, tmp_path, change, message):
    call_command("import_zones_plu", str(write_layer(tmp_path, zones_rows(), "ok.geojson")))
    before = list(ZonePlu.objects.values_list("pk", "libelong", "surface_m2"))
    rows = zones_rows()
    rows[0]["LIBELONG"] = "changée"
    change(rows)
    with pytest.raises(CommandError, match=message):
        call_command("import_zones_plu", str(write_layer(tmp_path, rows, "bad.gpkg", layer="zone_urba")))
    assert list(ZonePlu.objects.values_list("pk", "libelong", "surface_m2")) == before


def test_missing_fields_and_ambiguous_layers_are_explained(territoire, tmp_path):
    rows = [{k: v for k, v in row.items() if k not in ("IDURBA", "INSEE")} for row in zones_rows()]
    with pytest.raises(
        CommandError, match=r"Champ\(s\) absent\(s\) : IDURBA \(standard CNIG 2017\) ou INSEE"
    ):
        call_command("import_zones_plu", str(write_layer(tmp_path, rows)))
    path = write_layer(tmp_path, zones_rows(), "deux.gpkg", layer="zonage_2019")
    write_layer(tmp_path, zones_rows(), "deux.gpkg", layer="zonage_2023")
    with pytest.raises(CommandError, match=r"Plusieurs couches dans le fichier \(zonage_2019, zonage_2023\)"):
        call_command("import_zones_plu", str(path))
    with pytest.raises(CommandError, match="Couche « zone_urba » absente"):
        call_command("import_zones_plu", str(path), layer="zone_urba")
    call_command("import_zones_plu", str(path), layer="zonage_2023")
    assert ZonePlu.objects.count() == 3


def test_a_revised_document_replaces_the_previous_one_and_an_older_one_is_refused(
    territoire, tmp_path, capsys
):
    # Aix's PLU of 2015, then the metropolis's PLUi of 2019 covering Aix: Aix must not count both.
    plu_2015 = {"IDURBA": "13001_PLU_20150723", "DATAPPRO": "20150723"}
    old = [zone("UA", "U", "13001", inside("13001"), **plu_2015),
           zone("2AU", "AUs", "13001", inside("13001", dx=500), **plu_2015)]  # fmt: skip
    call_command("import_zones_plu", str(write_layer(tmp_path, old, "plu_2015.geojson")))
    call_command("import_zones_plu", str(write_layer(tmp_path, zones_rows()[:3], "plui_2019.geojson")))
    output = capsys.readouterr().out
    assert (
        "remplace 13001_PLU_20150723 dans 1 commune(s) : 2 zone(s) de l'ancien document supprimée(s)"
        in output
    )
    assert set(ZonePlu.objects.values_list("idurba", flat=True)) == {IDURBA}
    with pytest.raises(CommandError, match="plus récent que celui du fichier") as refused:
        call_command("import_zones_plu", str(write_layer(tmp_path, old, "plu_2015_bis.geojson")))
    assert "13001 : 200054807_20191219 approuvé le 19/12/2019" in str(refused.value)
    assert set(ZonePlu.objects.values_list("idurba", flat=True)) == {IDURBA}
