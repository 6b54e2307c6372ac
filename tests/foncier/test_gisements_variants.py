"""import_gisements on the fixtures/gisements/ files: 3D zipped Shapefile, GeoJSON, a file of elsewhere."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from foncier.models import Gisement

GISEMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "gisements"


def test_zipped_polygon_z_shapefile_in_windows_1252(territoire, capsys):
    call_command("import_gisements", str(GISEMENTS / "gisements_fonciers_2024_z.zip"), dry_run=True)
    dry = capsys.readouterr().out
    assert not Gisement.objects.exists()
    call_command("import_gisements", str(GISEMENTS / "gisements_fonciers_2024_z.zip"))
    assert dry.split(" : ", 1)[1] == capsys.readouterr().out
    galice = Gisement.objects.get(id_gisement="AMP-13001-0043")
    assert (galice.statut, galice.type, galice.geom.hasz) == ("etude", "division_parcellaire", False)
    assert Gisement.objects.get(id_gisement="AMP-13055-0108").commune.insee == "13055"


def test_an_inventory_of_nimes_is_refused_naming_it(territoire):
    with pytest.raises(CommandError, match=r"Gard \(30\) : Nîmes"):
        call_command("import_gisements", str(GISEMENTS / "gisements_nimes.geojson"))
    assert not Gisement.objects.exists()


def test_a_recompute_only_after_a_real_run(territoire, django_capture_on_commit_callbacks):
    path = GISEMENTS / "gisements.geojson"
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("import_gisements", str(path), dry_run=True, verbosity=0)
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("import_gisements", str(path), verbosity=0)
    assert len(callbacks) == 1


def test_a_file_mostly_outside_is_imported_with_a_warning(territoire, tmp_path, capsys):
    inside = json.loads((GISEMENTS / "gisements.geojson").read_text(encoding="utf-8"))
    nimes = json.loads((GISEMENTS / "gisements_nimes.geojson").read_text(encoding="utf-8"))
    inside["features"] = inside["features"][:1] + nimes["features"]
    path = tmp_path / "gisements_mixte.geojson"
    path.write_text(json.dumps(inside), encoding="utf-8")
    call_command("import_gisements", str(path))
    out = capsys.readouterr().out
    assert "3 lignes lues, 1 ajoutées, 0 mises à jour, 2 hors du territoire." in out
    assert "Attention : 2 ligne(s) sur 3 sont hors du territoire (surtout Gard (30) : Nîmes)" in out


def test_a_zoning_given_for_gisements_and_back_says_which_import_takes_it(territoire):
    with pytest.raises(CommandError, match=r"zonage d'un PLU/PLUi.*import_zones_plu"):
        call_command("import_gisements", str(GISEMENTS.parent / "plu" / "13047_ZONE_URBA_2014.shp"))
    with pytest.raises(CommandError, match=r"gisements fonciers.*import_gisements"):
        call_command("import_zones_plu", str(GISEMENTS / "gisements.geojson"))
