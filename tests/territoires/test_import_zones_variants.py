"""import_zones on the fixtures/zones/ files: IGN's IRIS GeoPackage in 3D beside a styles table, the
ANCT's QPV GeoJSON, a file of elsewhere; a progress callback as the admin gives one."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Zone
from observatoire.territoires.zones import ZoneFields, ZonesImporter

ZONES = Path(__file__).resolve().parents[2] / "fixtures" / "zones"
IRIS = {
    "zone_type": "IRIS",
    "code_field": "code_iris",
    "nom_field": "nom_iris",
    "commune_field": "code_insee",
}


def test_iris_geopackage_in_3d_with_a_styles_table(territoire, capsys):
    call_command("import_zones", str(ZONES / "contours_iris_z.gpkg"), dry_run=True, **IRIS)
    dry = capsys.readouterr().out
    assert not Zone.objects.filter(type=ZoneType.IRIS).exists()
    call_command("import_zones", str(ZONES / "contours_iris_z.gpkg"), **IRIS)
    assert dry.split(" : ", 1)[1] == capsys.readouterr().out
    iris = {z.code: z for z in Zone.objects.filter(type=ZoneType.IRIS).select_related("commune")}
    assert iris["132080301"].commune.insee == "13055"  # arrondissement code
    assert not iris["130010101"].geom.hasz


def test_a_qpv_of_nimes_is_refused_naming_it(territoire):
    args = {"zone_type": "QPV", "code_field": "code_qp", "nom_field": "lib_qp", "commune_field": "insee_com"}
    with pytest.raises(CommandError, match=r"Gard \(30\) : Nîmes"):
        call_command("import_zones", str(ZONES / "qpv_2024_nimes.geojson"), **args)
    assert not Zone.objects.filter(type=ZoneType.QPV).exists()


def test_progress_is_reported(territoire):
    calls = []
    importer = ZonesImporter(ZoneType.QPV, ZoneFields("code_qp", "lib_qp", "insee_com"))
    importer.execute(
        ZONES / "qpv_2024_extrait.geojson", progress=lambda done, total: calls.append((done, total))
    )
    assert calls[-1] == (2, 2)
