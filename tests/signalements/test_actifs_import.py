"""Importing assets from their owners' files, through the real command and importer, on PostGIS."""

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from observatoire.imports.base import ImportRejected, choices, find_importer, get_importer
from observatoire.imports.models import ImportJob, Statut
from observatoire.imports.tasks import run_import
from signalements.models import Actif

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "actifs"


def run(name, categorie, *args, path=None):
    out = io.StringIO()
    path = str(path or FIXTURES / name)
    call_command("import_actifs", path, "--categorie", categorie, *args, stdout=out, verbosity=0)
    return out.getvalue()


def refused(path, categorie="proprete", *args):
    with pytest.raises(CommandError) as error:
        run(None, categorie, *args, path=path)
    assert isinstance(error.value.__cause__, ImportRejected)
    return str(error.value)


def test_geojson_of_street_lights_lands_in_its_communes(categories):
    output = run("points_lumineux_marseille.geojson", "eclairage")
    assert "4 lignes lues, 4 ajoutées, 0 mises à jour, 0 hors du territoire." in output
    lights = {a.identifiant: a for a in Actif.objects.select_related("commune")}
    light = lights["EP-13201-00412"]
    # Marseille's arrondissements report to the city (the commune of the EPCI), found by PostGIS.
    assert light.commune.insee == "13055"
    assert (light.nature, light.libelle) == ("Candélabre", "La Canebière (côté pair)")
    assert light.proprietes["type_source"] == "LED"
    assert light.geom.srid == 2154 and light.is_active
    point = light.geom.transform(4326, clone=True)
    assert (round(point.x, 5), round(point.y, 5)) == (5.37812, 43.29681)


def test_geopackage_in_lambert93_with_multipoints(categories):
    output = run("corbeilles_aix_lambert93.gpkg", "proprete")
    assert "3 lignes lues, 3 ajoutées" in output
    bin_ = Actif.objects.get(identifiant="COR-AIX-0001")
    assert bin_.commune.insee == "13001"
    assert (bin_.nature, bin_.libelle) == ("Corbeille Vigipirate", "Cours Mirabeau - fontaine de la Rotonde")
    assert (round(bin_.geom.x, 2), round(bin_.geom.y, 2)) == (897719.06, 6272742.03)


def test_3d_points_are_stored_flat(categories):
    run("points_lumineux_aix_3d.geojson", "eclairage")
    lantern = Actif.objects.get(identifiant="AIX-PL-1201")
    assert not lantern.geom.hasz
    assert lantern.commune.insee == "13001" and lantern.libelle == "Cours Mirabeau"


def test_latin1_csv_of_hydrants_in_lambert93_with_decimal_commas(categories):
    output = run("pei_extrait_sdis13_latin1.csv", "eau")
    assert "4 lignes lues, 4 ajoutées" in output
    hydrant = Actif.objects.get(identifiant="13055-0998")
    assert hydrant.libelle == "Quai de Rive-Neuve, près de l'école"
    assert hydrant.proprietes["nom_gest"] == "Société des Eaux de Marseille Métropole"
    assert hydrant.nature == "BI"
    assert (round(hydrant.geom.x, 2), round(hydrant.geom.y, 2)) == (892437.37, 6246547.33)
    assert Actif.objects.get(identifiant="13001-0051").commune.insee == "13001"


def test_opendatasoft_export_with_geo_point_2d(categories):
    run("arbres_alignement_aix_opendatasoft.csv", "espaces-verts")
    tree = Actif.objects.get(identifiant="2004117")
    assert (tree.nature, tree.libelle) == ("Platane", "COURS MIRABEAU")
    point = tree.geom.transform(4326, clone=True)
    assert (round(point.y, 5), round(point.x, 5)) == (43.52632, 5.44512)


def test_bad_rows_refuse_the_whole_file_naming_line_and_column(categories):
    message = refused(FIXTURES / "corbeilles_aix_erreurs.csv")
    assert "ligne 3, colonne latitude : valeur absente." in message
    assert "ligne 4, colonne identifiant : identifiant vide." in message
    assert "ligne 5, colonne identifiant : identifiant « AIX-COR-0101 » déjà vu" in message
    assert "ligne 6, colonne longitude : nombre invalide « cinq »." in message
    assert not Actif.objects.exists()


def test_a_file_outside_the_territory_is_refused_naming_where_it_lies(categories):
    message = refused(FIXTURES / "corbeilles_nimes.csv")
    assert "Aucune ligne du fichier ne concerne le territoire" in message
    assert "Gard (30) : Nîmes" in message
    assert not Actif.objects.exists()


def test_points_outside_are_left_out_and_said(categories, tmp_path):
    path = tmp_path / "corbeilles.csv"
    path.write_text(
        "identifiant;nature;lon;lat\nC-1;Corbeille;5.44741;43.52961\nC-2;Corbeille;4.3601;43.8367\n",
        encoding="utf-8",
    )
    output = run(None, "proprete", path=path)
    assert "2 lignes lues, 1 ajoutées, 0 mises à jour, 1 hors du territoire." in output
    assert "1 équipement(s) hors du territoire, non importé(s) : 3." in output
    assert list(Actif.objects.values_list("identifiant", flat=True)) == ["C-1"]


def test_reimport_updates_and_deactivates_what_the_file_no_longer_lists(categories, tmp_path):
    run("points_lumineux_marseille.geojson", "eclairage")
    run("points_lumineux_aix_3d.geojson", "eclairage")
    source = (FIXTURES / "points_lumineux_marseille.geojson").read_text(encoding="utf-8")
    lines = source.splitlines()
    # The next inventory: one light removed, one moved to LED.
    kept = [line for line in lines if "EP-13201-00414" not in line]
    kept = [line.replace("Sodium haute pression", "LED") for line in kept]
    path = tmp_path / "points_lumineux_marseille.geojson"
    path.write_text("\n".join(kept).replace("} },\n]", "} }\n]"), encoding="utf-8")
    output = run(None, "eclairage", path=path)
    assert "3 lignes lues, 0 ajoutées, 3 mises à jour" in output
    assert "1 équipement(s) de ces communes absent(s) du fichier : désactivé(s)" in output
    assert not Actif.objects.get(identifiant="EP-13201-00414").is_active
    # Aix's lights are in another commune: the Marseille file leaves them alone.
    assert Actif.objects.filter(identifiant__startswith="AIX-PL", is_active=True).count() == 3
    assert Actif.objects.count() == 7
    again = run(None, "eclairage", path=path)
    assert "3 lignes lues, 0 ajoutées, 3 mises à jour" in again and "désactivé" not in again


def test_a_deactivated_asset_comes_back_with_the_file_that_lists_it(categories):
    run("points_lumineux_marseille.geojson", "eclairage")
    Actif.objects.filter(identifiant="EP-13201-00414").update(is_active=False)
    run("points_lumineux_marseille.geojson", "eclairage")
    assert Actif.objects.get(identifiant="EP-13201-00414").is_active


def test_dry_run_is_the_real_run_rolled_back(categories):
    out = io.StringIO()
    call_command(
        "import_actifs", str(FIXTURES / "points_lumineux_marseille.geojson"), "--categorie", "eclairage",
        "--dry-run", stdout=out, verbosity=0,
    )  # fmt: skip
    simulated = "Simulation (import fait puis annulé, rien n'a été écrit) : 4 lignes lues"
    assert out.getvalue().startswith(simulated)
    assert not Actif.objects.exists()


def test_unknown_category_and_missing_identifier_column_are_refused_in_french(categories, tmp_path):
    assert "Catégorie « lampadaires » inconnue" in refused(FIXTURES / "corbeilles_nimes.csv", "lampadaires")
    path = tmp_path / "sans_id.csv"
    path.write_text("nature;lon;lat\nCorbeille;5.44741;43.52961\n", encoding="utf-8")
    assert "Aucune colonne d'identifiant" in refused(path)
    assert "Corbeille" not in [a.nature for a in Actif.objects.all()]
    # Named on the command line, any column serves.
    output = run(None, "proprete", "--champ-identifiant", "nature", path=path)
    assert "1 ajoutées" in output


def test_a_zipped_shapefile_export_is_read(categories, tmp_path):
    import geopandas

    frame = geopandas.read_file(FIXTURES / "corbeilles_aix_lambert93.gpkg")
    frame = frame.rename(columns={"contenance_l": "volume", "localisation": "adresse"})
    folder = tmp_path / "export"
    folder.mkdir()
    frame.to_file(folder / "corbeilles.shp")
    archive = tmp_path / "corbeilles_shp.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            zipped.write(part, f"export/{part.name}")
    assert "3 ajoutées" in run(None, "proprete", path=archive)


def test_admin_kinds_one_per_category_and_the_job_runs_in_the_worker_code(categories, tmp_path, settings):
    kinds = dict(choices())
    assert kinds["actifs:eclairage"].startswith("Équipements des signalements : Éclairage public")
    assert "actifs" not in kinds
    assert find_importer("actifs:eclairage").categorie_code == "eclairage"
    assert find_importer("inconnu:x") is None
    shutil.copy(FIXTURES / "pei_extrait_sdis13_latin1.csv", tmp_path / "pei.csv")
    from django.core.files import File

    with open(tmp_path / "pei.csv", "rb") as handle:
        job = ImportJob.objects.create(kind="actifs:eau", fichier=File(handle, name="pei.csv"))
    assert run_import(job.pk) == Statut.TERMINE
    job.refresh_from_db()
    assert job.summary["ajoutees"] == 4 and job.summary["categorie"] == "eau"
    assert str(job).startswith("Équipements des signalements : Eau et assainissement")
    assert get_importer("actifs:eau").categorie_code == "eau"


def test_the_demo_loads_its_lights_and_bins_through_the_importer(categories):
    from signalements.actifs.demo import load_demo_actifs

    assert load_demo_actifs() == 189 + 47
    assert Actif.objects.filter(categorie__code="eclairage", commune__insee="13055").count() > 150
    assert Actif.objects.filter(categorie__code="proprete", commune__insee="13001").exists()
    assert load_demo_actifs() == 189 + 47
    assert Actif.objects.count() == 189 + 47 and not Actif.objects.filter(is_active=False).exists()


def test_the_admin_upload_offers_one_kind_per_category(
    client, categories, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from observatoire.accounts.enums import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.CHARGE_ETUDES, is_staff=True))
    add = reverse("admin:imports_importjob_add")
    form = client.get(add).content.decode()
    assert '<option value="actifs:eclairage">Équipements des signalements : Éclairage public' in form
    sample = (FIXTURES / "pei_extrait_sdis13_latin1.csv").read_bytes()
    wrong = client.post(add, {"kind": "actifs:eau", "fichier": SimpleUploadedFile("pei.xlsx", sample)})
    assert (
        "Extension attendue pour « Équipements des signalements : Eau et assainissement"
        in wrong.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(add, {"kind": "actifs:eau", "fichier": SimpleUploadedFile("pei.csv", sample)})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert run_import(job.pk) == Statut.TERMINE
    assert Actif.objects.filter(categorie__code="eau").count() == 4
