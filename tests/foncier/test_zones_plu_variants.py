"""import_zones_plu on files shaped like the real ones (fixtures/plu/): each CNIG standard, the GPU
archive in both layouts, 3D digitising, a PLUi without INSEE, a file of elsewhere, files that are not
a zoning at all."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from foncier.models import ZonePlu
from observatoire.territoires.models import Commune

PLU = Path(__file__).resolve().parents[2] / "fixtures" / "plu"


def test_gpu_archive_with_document_folder_finds_zone_urba_among_the_layers(territoire, capsys):
    call_command("import_zones_plu", str(PLU / "13041_PLU_20200123.zip"))
    out = capsys.readouterr().out
    assert "Zonage au standard CNIG 2017" in out
    assert "13041_PLU_20200123/Donnees_geographiques/13041_ZONE_URBA_20200123.shp" in out
    assert "3 lignes lues, 3 ajoutées" in out
    assert set(ZonePlu.objects.values_list("idurba", "libelle", "insee")) == {
        ("13041_PLU_20200123", "UA", "13041"),
        ("13041_PLU_20200123", "1AUa", "13041"),
        ("13041_PLU_20200123", "N", "13041"),
    }
    # DATAPPRO is not a field of the 2017 ZONE_URBA: read from IDURBA.
    assert {z.datappro.isoformat() for z in ZonePlu.objects.all()} == {"2020-01-23"}


def test_flat_gpu_archive_and_layer_option(territoire, capsys):
    path = PLU / "13041_ZONE_URBA_plat.zip"
    call_command("import_zones_plu", str(path))
    assert "3 lignes lues, 3 ajoutées" in capsys.readouterr().out
    call_command("import_zones_plu", str(path), layer="zone_urba")
    assert "0 ajoutées, 3 mises à jour" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"Champ\(s\) absent\(s\) : TYPEZONE"):
        call_command("import_zones_plu", str(path), layer="PRESCRIPTION_SURF")


def test_polygon_z_shapefile_is_read_in_2d_and_the_dry_run_counts_what_the_run_writes(territoire, capsys):
    path = PLU / "13041_ZONE_URBA_20200123_z.shp"
    call_command("import_zones_plu", str(path), dry_run=True)
    dry = capsys.readouterr().out
    assert not ZonePlu.objects.exists()
    call_command("import_zones_plu", str(path))
    assert dry.split(" : ", 1)[1] == capsys.readouterr().out
    assert "3 ajoutées" in dry
    assert not ZonePlu.objects.first().geom.hasz


def test_cnig_2014_with_insee_and_no_idurba(territoire, capsys):
    call_command("import_zones_plu", str(PLU / "13047_ZONE_URBA_2014.shp"))
    assert "Zonage au standard CNIG 2014" in capsys.readouterr().out
    zones = {z.libelle: z for z in ZonePlu.objects.all()}
    # No IDURBA in 2014: the document is named as its DOC_URBA would, INSEE and latest approval.
    assert {z.idurba for z in zones.values()} == {"13047_20150402"}
    assert (zones["Nh"].typezone, zones["2AU"].typezone, zones["UA"].commune.insee) == ("N", "AUs", "13047")


def test_plui_without_insee_is_cut_along_the_communes(territoire, capsys):
    call_command("import_zones_plu", str(PLU / "200054807_ZONE_URBA_20191219.shp"))
    capsys.readouterr()
    pieces = {(z.libelle, z.insee): z for z in ZonePlu.objects.select_related("commune")}
    # The UAe zone straddles Marseille and Allauch: one piece in each, surfaces of the pieces.
    ua = [z for (libelle, _), z in pieces.items() if libelle == "UAe"]
    assert {z.insee for z in ua} == {"13055", "13002"}
    assert sum(z.surface_m2 for z in ua) == pytest.approx(600 * 400, rel=1e-6)
    assert all(z.surface_m2 < 600 * 400 for z in ua)
    # The N zone surrounds Plan-de-Cuques: the commune gets its own area, no more.
    plan = Commune.objects.get(insee="13075")
    assert pieces["N", "13075"].surface_m2 <= plan.geom.area
    assert pieces["N", "13075"].surface_m2 > 0.95 * plan.geom.area
    assert pieces["N", "13075"].libelong == "Zone naturelle protégée, coteaux de l'Étoile"


def test_per_commune_totals_never_exceed_the_commune(territoire):
    call_command("import_zones_plu", str(PLU / "200054807_ZONE_URBA_20191219.shp"), verbosity=0)
    totals = ZonePlu.objects.values("commune").annotate(total=Sum("surface_m2"))
    areas = {c.pk: c.geom.area for c in Commune.objects.filter(pk__in=[t["commune"] for t in totals])}
    for row in totals:
        assert row["total"] <= areas[row["commune"]] + 1
    # Marseille, Allauch, Plan-de-Cuques, and the edges of Mimet and Simiane-Collongue that the N zone
    # around Plan-de-Cuques reaches.
    assert len(areas) == 5


def test_a_plu_of_nimes_is_refused_naming_it(territoire):
    with pytest.raises(CommandError, match=r"Gard \(30\) : Nîmes"):
        call_command("import_zones_plu", str(PLU / "30189_PLU_20180326.zip"))
    assert not ZonePlu.objects.exists()


def test_a_dvf_csv_is_recognised(territoire):
    with pytest.raises(CommandError, match=r"DVF géolocalisées.*import_dvf"):
        call_command("import_zones_plu", str(PLU / "dvf_13_extrait.csv"))


def test_a_pdf_gets_a_plain_french_answer(territoire):
    with pytest.raises(CommandError, match="Fichier illisible ou format non reconnu : GeoJSON, GeoPackage"):
        call_command("import_zones_plu", str(PLU / "13041_reglement_20200123.pdf"))


def test_a_utf8_shapefile_without_cpg_keeps_its_accents(territoire, tmp_path):
    # GIS tools that write UTF-8 without the .cpg beside it: GDAL alone would read Latin-1.
    source, copy = PLU / "13041_ZONE_URBA_20200123_z.shp", tmp_path / "zone_urba.shp"
    subprocess.run([shutil.which("ogr2ogr"), str(copy), str(source), "-lco", "ENCODING=UTF-8"], check=True)
    (tmp_path / "zone_urba.cpg").unlink()
    call_command("import_zones_plu", str(tmp_path / "zone_urba.shp"), verbosity=0)
    assert ZonePlu.objects.get(libelle="1AUa").libelong == "Zone à urbaniser à vocation d'habitat"


def test_measured_coordinates_are_dropped_too(territoire, tmp_path):
    source, copy = PLU / "13041_ZONE_URBA_20200123_z.shp", tmp_path / "zone_urba_zm.gpkg"
    subprocess.run([shutil.which("ogr2ogr"), str(copy), str(source), "-dim", "XYZM"], check=True)
    call_command("import_zones_plu", str(copy), verbosity=0)
    assert ZonePlu.objects.count() == 3
