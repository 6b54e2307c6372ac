import json
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Zone


def square(lon, lat, half=0.004):
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def qpv(code, nom, insee, lon, lat):
    return {
        "type": "Feature",
        "properties": {"code_qp": code, "lib_qp": nom, "insee_com": insee, "lib_com": "", "siren_epci": ""},
        "geometry": square(lon, lat),
    }


def write(tmp_path, features, name="qpv.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


QPV_ARGS = {"zone_type": "QPV", "code_field": "code_qp", "nom_field": "lib_qp", "commune_field": "insee_com"}


@pytest.fixture
def qpv_file(tmp_path):
    return write(
        tmp_path,
        [
            # An arrondissement code maps to Marseille, as official files do.
            qpv("QN01301M", "Centre-ville Canet Arnavaux", "13203", 5.3800, 43.3120),
            qpv("QN01302M", "Frais Vallon Le Clos", "13055", 5.4200, 43.3200),
            # No commune code: found from the geometry (Aix-en-Provence).
            qpv("QN01303M", "Encagnane", "", 5.4300, 43.5250),
        ],
    )


def test_qpv_geojson_is_imported_and_attached_to_communes(territoire, qpv_file, capsys):
    call_command("import_zones", str(qpv_file), **QPV_ARGS)
    assert "3 lignes lues, 3 ajoutées, 0 mises à jour, 0 hors du territoire." in capsys.readouterr().out
    zones = {z.code: z for z in Zone.objects.filter(type=ZoneType.QPV).select_related("commune")}
    assert zones["QN01301M"].commune.insee == "13055"
    assert zones["QN01302M"].commune.insee == "13055"
    assert zones["QN01303M"].commune.insee == "13001"
    assert zones["QN01301M"].geom.srid == 2154
    # ~0.008° × 0.008° at 43°N is about 650 m × 890 m.
    assert 0.4e6 < zones["QN01301M"].geom.area < 0.7e6


def test_reimport_updates_without_duplicates(territoire, qpv_file, capsys):
    call_command("import_zones", str(qpv_file), **QPV_ARGS)
    call_command("import_zones", str(qpv_file), **QPV_ARGS)
    assert "3 lignes lues, 0 ajoutées, 3 mises à jour" in capsys.readouterr().out
    assert Zone.objects.filter(type=ZoneType.QPV).count() == 3


def test_dry_run_writes_nothing(territoire, qpv_file, capsys):
    call_command("import_zones", str(qpv_file), dry_run=True, **QPV_ARGS)
    assert "Simulation" in capsys.readouterr().out
    assert not Zone.objects.filter(type=ZoneType.QPV).exists()


def test_a_bad_feature_rejects_the_whole_file_and_a_zone_at_sea_is_counted_outside(territoire, tmp_path):
    path = write(
        tmp_path,
        [
            qpv("QN01301M", "Valide", "13055", 5.38, 43.31),
            qpv("", "Sans code", "13055", 5.39, 43.31),
            qpv("QN99999M", "En mer", "", 5.05, 43.15),
        ],
    )
    with pytest.raises(CommandError) as error:
        call_command("import_zones", str(path), **QPV_ARGS)
    message = str(error.value)
    assert "1 erreur(s) : rien n'a été importé." in message
    assert "entité 2 : code ou nom vide." in message
    assert not Zone.objects.filter(type=ZoneType.QPV).exists()
    path = write(
        tmp_path,
        [qpv("QN01301M", "Valide", "13055", 5.38, 43.31), qpv("QN99999M", "En mer", "", 5.05, 43.15)],
    )
    call_command("import_zones", str(path), **QPV_ARGS)
    assert list(Zone.objects.filter(type=ZoneType.QPV).values_list("code", flat=True)) == ["QN01301M"]


def test_missing_field_is_named(territoire, qpv_file):
    with pytest.raises(CommandError, match="Champ\\(s\\) absent\\(s\\) : code_iris"):
        call_command(
            "import_zones", str(qpv_file), zone_type="IRIS", code_field="code_iris", nom_field="lib_qp"
        )


def test_unreadable_file_is_reported(territoire, tmp_path):
    path = tmp_path / "pas-un-sig.geojson"
    path.write_text("ceci n'est pas du GeoJSON")
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("import_zones", str(path), **QPV_ARGS)


def test_geopackage_is_read_too(territoire, qpv_file, tmp_path):
    ogr2ogr = shutil.which("ogr2ogr")
    assert ogr2ogr, "gdal-bin is installed by make test"
    gpkg = tmp_path / "qpv.gpkg"
    subprocess.run([ogr2ogr, "-f", "GPKG", str(gpkg), str(qpv_file), "-nln", "qpv_2024"], check=True)
    call_command("import_zones", str(gpkg), layer="qpv_2024", **QPV_ARGS)
    assert Zone.objects.filter(type=ZoneType.QPV).count() == 3
    with pytest.raises(CommandError, match="Couche « autre » absente ; couches du fichier : qpv_2024"):
        call_command("import_zones", str(gpkg), layer="autre", **QPV_ARGS)
