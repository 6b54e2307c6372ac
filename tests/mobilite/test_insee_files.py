"""INSEE's mobility files as published (fixtures/carreaux, mobpro, modes: see their README.md)."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mobilite.models import Carreau, Flux, ModesTransport

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FLOWS = "base-flux-mobilite-domicile-lieu-travail-2021.csv"
ZIPPED_FLOWS = "base-csv-flux-mobilite-domicile-lieu-travail-2021.zip"


def run(command, path, *args):
    out = io.StringIO()
    call_command(command, str(FIXTURES / path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refusal(command, path, *args):
    with pytest.raises(CommandError) as refused:
        run(command, path, *args)
    return str(refused.value)


def flows():
    rows = Flux.objects.select_related("commune")
    return {(f.commune.insee, f.code_travail): (round(f.actifs, 6), f.libelle_travail) for f in rows}


def test_the_zipped_flows_base_is_read(territoire):
    """Given a zip, the importer ended in UnicodeDecodeError."""
    output = run("import_mobilites_professionnelles", f"mobpro/{ZIPPED_FLOWS}")
    assert "10 lignes lues, 6 ajoutées, 0 mises à jour, 2 hors du territoire." in output
    assert flows()[("13055", "13055")] == (6198.96, "Marseille")  # 4021.04 + 1190.8 + 987.12
    assert flows()[("13001", "83137")] == (212.0, "Toulon")
    assert set(Flux.objects.values_list("millesime", flat=True)) == {2021}


def test_the_flows_base_in_windows_1252_is_read(territoire):
    output = run("import_mobilites_professionnelles", f"mobpro/{FLOWS}")
    assert "10 lignes lues, 6 ajoutées, 0 mises à jour, 2 hors du territoire." in output


def test_the_detail_file_is_added_up_per_pair_beside_its_dictionary(territoire):
    output = run("import_mobilites_professionnelles", "mobpro/RP2021_mobpro_csv.zip")
    assert "9 lignes lues, 5 ajoutées, 0 mises à jour, 1 hors du territoire." in output
    assert flows() == {
        ("13001", "13001"): (6.0, "Aix-en-Provence"),  # 2.804319876543210 + 3.195680123456790
        ("13001", "13055"): (2.9125, "Marseille"),
        ("13001", "83137"): (1.0, "Toulon"),  # named from the national list: the file has no labels
        ("13055", "13055"): (10.5, "Marseille"),  # between arrondissements: 4.25 + 3.75 + 2.5
        ("13055", "13001"): (1.5, "Aix-en-Provence"),
    }
    assert set(Flux.objects.values_list("millesime", flat=True)) == {2021}


def test_the_detail_file_needs_the_year_of_its_published_name(territoire, tmp_path):
    import zipfile

    with zipfile.ZipFile(FIXTURES / "mobpro/RP2021_mobpro_csv.zip") as archive:
        (tmp_path / "mobpro.csv").write_bytes(archive.read("FD_MOBPRO_2021.csv"))
    with pytest.raises(CommandError, match="son millésime n'est écrit que dans son nom"):
        call_command("import_mobilites_professionnelles", str(tmp_path / "mobpro.csv"))
    assert not Flux.objects.exists()


def test_flows_of_elsewhere_are_refused_by_name(territoire):
    run("import_mobilites_professionnelles", f"mobpro/{ZIPPED_FLOWS}")
    message = refusal("import_mobilites_professionnelles", "mobpro/flux-mobilite-perigueux-2021.csv")
    assert "Aucune ligne du fichier ne concerne le territoire" in message
    assert "Dordogne (24) : Périgueux, Trélissac, Chancelade" in message
    assert Flux.objects.count() == 6


def test_the_zipped_census_base_is_read_past_its_meta_file(territoire):
    """The zip holds the data beside ``meta_…CSV``: it ended in UnicodeDecodeError."""
    output = run("import_emploi_pop_active", "modes/base-cc-emploi-pop-active-2021_csv.zip")
    assert "5 lignes lues, 3 ajoutées, 0 mises à jour, 2 hors du territoire." in output
    aix = ModesTransport.objects.get(commune__insee="13001")
    assert (aix.millesime, aix.actifs, aix.velo, aix.voiture) == (2021, 62510.0, 1875.3, 43757.0)


def test_a_census_before_the_bicycle_is_refused_with_the_reason(territoire):
    message = refusal("import_emploi_pop_active", "modes/base-cc-emploi-pop-active-2016.csv")
    assert "compte les deux-roues ensemble (C16_ACTOCC15P_DROU)" in message
    assert not ModesTransport.objects.exists()


def test_a_file_of_another_kind_is_named_with_the_import_that_takes_it(territoire):
    message = refusal("import_emploi_pop_active", f"mobpro/{FLOWS}")
    assert "importez-le avec `python manage.py import_mobilites_professionnelles`" in message
    message = refusal("import_mobilites_professionnelles", "carreaux/Filosofi2017_carreaux_200m_met.csv")
    assert "importez-le avec `python manage.py import_carreaux_200m`" in message
    message = refusal("import_carreaux_200m", "modes/base-cc-emploi-pop-active-2016.csv")
    assert "importez-le avec `python manage.py import_emploi_pop_active`" in message
    message = refusal("import_mobilites_professionnelles", "gtfs/aix_racine.zip")
    assert "Cette archive est un flux GTFS" in message and "import_gtfs" in message
    message = refusal("import_gtfs", "modes/base-cc-emploi-pop-active-2021_csv.zip")
    assert "importez-le avec `python manage.py import_emploi_pop_active`" in message
    message = refusal("import_gtfs", f"mobpro/{FLOWS}")
    assert "importez-le avec `python manage.py import_mobilites_professionnelles`" in message


def test_every_area_file_of_the_2021_grid_is_read(territoire):
    """Martinique's and La Réunion's cells, in their own projections, are outside, not errors."""
    output = run("import_carreaux_200m", "carreaux/Filosofi2021_carreaux_200m_csv.zip")
    assert "9 lignes lues, 6 ajoutées, 0 mises à jour, 3 hors du territoire." in output
    by_commune = {}
    for insee, population in Carreau.objects.values_list("commune__insee", "population"):
        by_commune[insee] = by_commune.get(insee, 0) + population
    assert by_commune == {"13001": 891.0, "13055": 2155.0, "13005": 75.5}


GRIDS_2017_2015 = ["Filosofi2017_carreaux_200m_met.csv", "Filosofi2015_carreaux_200m_metropole.csv"]


@pytest.mark.parametrize("name", GRIDS_2017_2015)
def test_the_2017_and_2015_grids_are_read(territoire, name):
    output = run("import_carreaux_200m", f"carreaux/{name}")
    assert "7 lignes lues, 6 ajoutées, 0 mises à jour, 1 hors du territoire." in output
    assert Carreau.objects.count() == 6


def test_the_grid_zipped_as_7_zip_and_a_grid_of_elsewhere_are_refused(territoire):
    message = refusal("import_carreaux_200m", "carreaux/Filosofi2017_carreaux_200m_csv.zip")
    assert "archive 7-Zip (« Filosofi2017_carreaux_200m_csv.7z »)" in message
    assert "extrayez-en le fichier CSV" in message
    message = refusal("import_carreaux_200m", "carreaux/carreaux_200m_perigueux.csv")
    assert "Dordogne (24) : Périgueux, Trélissac" in message
    assert not Carreau.objects.exists()


def test_the_grid_as_a_geopackage_is_read_within_the_territory(territoire):
    """INSEE's other format: the layer is filtered on the territory's box (here in Lambert-93)."""
    output = run("import_carreaux_200m", "carreaux/Filosofi2021_carreaux_200m_gpkg.zip")
    assert "7 lignes lues, 6 ajoutées, 0 mises à jour, 1 hors du territoire." in output
    assert Carreau.objects.count() == 6
