import warnings

import geopandas
import pytest
import shapely
from django.core.management import CommandError, call_command

from foncier.models import Gisement
from observatoire.territoires.models import Commune

FORMATS = {"geojson": "gisements.geojson", "gpkg": "gisements.gpkg", "shp": "gisements.shp"}


def inside(insee, dx=0, dy=0, width=100, height=50):
    """A width × height m rectangle (Lambert-93) inside the commune, shifted by dx, dy metres."""
    point = Commune.objects.get(insee=insee).geom.point_on_surface
    return shapely.box(point.x + dx, point.y + dy, point.x + dx + width, point.y + dy + height)


def write_layer(tmp_path, rows, name="gisements.geojson", crs=2154, layer=None, **options):
    """Write rows (dicts with a ``geometry``) with pyogrio; GeoJSON in WGS84 as RFC 7946 wants it."""
    frame = geopandas.GeoDataFrame(rows, geometry="geometry", crs=crs)
    path = tmp_path / name
    if name.endswith("json") and crs:
        frame = frame.to_crs(4326)
    if name.endswith(".shp"):
        # A Shapefile keeps ten characters of a name (potentiel_logements → potentiel_), as GIS tools do.
        frame = frame.rename(columns=lambda column: column[:10])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "'crs' was not provided", UserWarning)
        frame.to_file(path, layer=layer, engine="pyogrio", **options)
    return path


def gisements_rows():
    return [
        {"id_gisement": "G-1", "insee": "13001", "nom": "Dent creuse du Pigonnet", "type": "Dent creuse",
         "surface_m2": None, "potentiel_logements": 12, "statut": "à l'étude", "echeance": "court terme",
         "geometry": inside("13001")},
        # No INSEE code: the commune holding the polygon is found by PostGIS.
        {"id_gisement": "G-2", "insee": None, "nom": "Friche des Crottes", "type": "friche",
         "surface_m2": 4800.0, "potentiel_logements": None, "statut": None, "echeance": None,
         "geometry": inside("13055", width=80, height=60)},
        # A neighbouring département: skipped and counted, not an error.
        {"id_gisement": "G-3", "insee": "83137", "nom": "Toulon", "type": "extension",
         "surface_m2": 1000.0, "potentiel_logements": 3, "statut": "identifié", "echeance": "long",
         "geometry": shapely.box(940_000, 6_225_000, 940_100, 6_225_100)},
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_import_each_format_resolves_communes_and_computes_areas(territoire, tmp_path, capsys, fmt):
    path = write_layer(tmp_path, gisements_rows(), FORMATS[fmt])
    call_command("import_gisements", str(path))
    assert "3 lignes lues, 2 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    pigonnet = Gisement.objects.get(id_gisement="G-1")
    assert pigonnet.commune.insee == "13001"
    assert pigonnet.surface_m2 == pytest.approx(5000, abs=1)  # absent from the file: computed
    # A Shapefile truncates the names to ten characters (potentiel_): still read.
    assert (pigonnet.type, pigonnet.statut, pigonnet.echeance, pigonnet.potentiel_logements) == (
        "dent_creuse",
        "etude",
        "court",
        12,
    )
    crottes = Gisement.objects.get(id_gisement="G-2")
    assert (crottes.commune.insee, crottes.surface_m2, crottes.statut) == ("13055", 4800.0, "identifie")
    assert crottes.potentiel_logements is None
    assert crottes.geom.srid == 2154 and crottes.geom.geom_type == "MultiPolygon"


def test_reimport_updates_in_place_and_dry_run_writes_nothing(territoire, tmp_path, capsys):
    rows = gisements_rows()
    path = write_layer(tmp_path, rows)
    call_command("import_gisements", str(path), dry_run=True)
    assert "Simulation" in capsys.readouterr().out
    assert not Gisement.objects.exists()
    call_command("import_gisements", str(path))
    rows[0]["statut"] = "réalisé"
    call_command("import_gisements", str(write_layer(tmp_path, rows, "v2.geojson")))
    assert "0 ajoutées, 2 mises à jour" in capsys.readouterr().out
    assert Gisement.objects.count() == 2
    assert Gisement.objects.get(id_gisement="G-1").statut == "realise"


def _break(rows, change):
    change(rows)
    return rows


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r[1].update(type="parking"), "entité 2, champ type : valeur « parking » inconnue"),
        (lambda r: r[0].update(insee="13-01"), "entité 1, champ insee : code commune invalide « 13-01 »"),
        # Before: a letter O for a zero was a commune outside the territory, skipped in silence.
        (lambda r: r[0].update(insee="13O01"), "entité 1, champ insee : code commune invalide « 13O01 »"),
        (lambda r: r[1].update(surface_m2=-5.0), "entité 2, champ surface_m2 : nombre invalide « -5 »"),
        (lambda r: r[1].update(id_gisement="G-1"), "entité 2, champ id_gisement : identifiant « G-1 »"),
        (lambda r: r[0].update(geometry=None), "entité 1, champ géométrie : géométrie vide"),
        (lambda r: r[1].update(geometry=shapely.Point(0, 0)), "entité 2, champ géométrie : .*Point"),
    ],
    ids=["type", "insee", "insee-lettre-o", "surface", "doublon", "vide", "point"],
)  # fmt: skip
def test_one_bad_feature_rejects_the_file_naming_feature_and_field(territoire, tmp_path, change, message):
    call_command("import_gisements", str(write_layer(tmp_path, gisements_rows())))
    before = list(Gisement.objects.values_list("id_gisement", "statut", "surface_m2"))
    rows = _break(gisements_rows(), change)
    rows[0]["statut"] = "réalisé"  # would change if anything were written
    with pytest.raises(CommandError, match=message):
        call_command("import_gisements", str(write_layer(tmp_path, rows, "bad.gpkg")))
    assert list(Gisement.objects.values_list("id_gisement", "statut", "surface_m2")) == before


def test_missing_field_and_missing_crs_are_named(territoire, tmp_path):
    rows = [{k: v for k, v in row.items() if k != "type"} for row in gisements_rows()]
    with pytest.raises(CommandError, match=r"Champ\(s\) absent\(s\) : type\."):
        call_command("import_gisements", str(write_layer(tmp_path, rows)))
    # A Shapefile without its .prj has no coordinate system.
    path = write_layer(tmp_path, gisements_rows(), "sans_prj.shp", crs=None)
    with pytest.raises(CommandError, match="Système de coordonnées absent"):
        call_command("import_gisements", str(path))
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("import_gisements", str(tmp_path / "absent.geojson"))
    assert not Gisement.objects.exists()
