"""The ATMO index importer: national CSV, AtmoSud's exports, GeoJSON, zip; days, Marseille, refusals."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from environnement.atmo import local_day
from environnement.models import IndiceAtmo
from observatoire.imports.base import ImportRejected, get_importer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "atmo"


def run(name, *args):
    out = io.StringIO()
    call_command("import_indice_atmo", str(FIXTURES / name), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refusal(tmp_path, text):
    path = tmp_path / "atmo.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        get_importer("indice_atmo").execute(path)
    return refused.value


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2024-01-15", date(2024, 1, 15)),
        ("2024-01-15T00:00:00+01:00", date(2024, 1, 15)),
        ("2024/01/15 00:00:00+00", date(2024, 1, 15)),
        ("2024-07-19T22:00:00Z", date(2024, 7, 20)),
        ("2024-01-14T23:00:00.000Z", date(2024, 1, 15)),
        ("2024-01-15 00:00:00", date(2024, 1, 15)),
        ("15/01/2024", date(2024, 1, 15)),
        ("1/15/2024 12:00:00 AM", date(2024, 1, 15)),
        (1705273200000, date(2024, 1, 15)),  # ArcGIS epoch ms of 2024-01-15 00:00 Paris
        ("2024-01-15Z", date(2024, 1, 15)),
    ],
)
def test_the_day_is_the_local_day_of_date_ech(raw, day):
    assert local_day(raw) == day


@pytest.mark.parametrize("raw", ["", "demain", "2024-13-01", "32/01/2024"])
def test_an_unreadable_date_is_an_error(raw):
    with pytest.raises(ValueError):
        local_day(raw)


def test_national_csv_is_imported_and_reimport_is_idempotent(territoire):
    out = run("indice_atmo_national_2024.csv")
    assert "6 lignes lues, 6 ajoutées, 0 mises à jour" in out
    martigues = IndiceAtmo.objects.get(commune__insee="13056", date_ech=date(2024, 1, 16))
    assert (martigues.code_qual, martigues.lib_qual, martigues.code_so2, martigues.source) == (
        4,
        "Mauvais",
        4,
        "AtmoSud",
    )
    aubagne = IndiceAtmo.objects.get(commune__insee="13005", date_ech=date(2024, 1, 16))
    assert aubagne.code_no2 is None and aubagne.code_so2 is None and aubagne.code_o3 == 2
    out = run("indice_atmo_national_2024.csv")
    assert "6 lignes lues, 0 ajoutées, 6 mises à jour" in out
    assert IndiceAtmo.objects.count() == 6


def test_atmosud_export_merges_marseille_and_keeps_the_latest_diffusion(territoire, marseille):
    run("ind_sudpaca_2024_atmosud.csv")
    day = date(2024, 7, 20)
    whole = IndiceAtmo.objects.get(commune=marseille, date_ech=day)
    assert (whole.code_qual, whole.lib_qual, whole.code_o3, whole.code_no2) == (4, "Mauvais", 4, 2)
    aix = IndiceAtmo.objects.get(commune__insee="13001", date_ech=day)
    assert aix.code_qual == 3  # the diffusion of the 20th replaces the forecast of the 19th
    assert IndiceAtmo.objects.filter(date_ech=day).count() == 3


def test_geojson_dates_in_utc_are_read_as_paris_days(territoire):
    out = run("ind_sudpaca_2024.geojson")
    assert "3 lignes lues, 3 ajoutées" in out
    assert set(IndiceAtmo.objects.values_list("commune__insee", "date_ech")) == {
        ("13001", date(2024, 7, 20)),
        ("13005", date(2024, 7, 20)),
        ("13056", date(2024, 7, 21)),
    }
    assert IndiceAtmo.objects.get(commune__insee="13056").code_pm25 is None


def test_zip_is_read_like_its_csv(territoire):
    assert "6 lignes lues, 6 ajoutées" in run("indice_atmo_national_2024_csv.zip")


def test_epci_rows_are_counted_and_left_aside(territoire):
    summary = get_importer("indice_atmo").execute(FIXTURES / "indice_atmo_epci_et_communes.csv")
    assert summary.details["zones_non_communales_ignorees"] == {"EPCI": 2}
    assert (summary.read, summary.inserted, summary.skipped_outside) == (5, 2, 1)
    assert summary.outside == {"84007": 1}
    assert any("zones non communales" in warning for warning in summary.warnings)


def test_a_file_of_another_region_is_refused_naming_it(territoire):
    with pytest.raises(CommandError) as refused:
        run("indice_atmo_var.csv")
    assert "Var (83)" in str(refused.value)
    assert not IndiceAtmo.objects.exists()


def test_a_class_out_of_the_scale_names_line_and_column(territoire):
    with pytest.raises(ImportRejected) as refused:
        get_importer("indice_atmo").execute(FIXTURES / "indice_atmo_code_qual_9.csv")
    assert refused.value.errors == [
        "ligne 3, colonne code_qual : indice « 9 » hors de l'échelle 0 à 7 de l'indice ATMO."
    ]
    assert not IndiceAtmo.objects.exists()


def test_dry_run_writes_nothing(territoire):
    out = run("indice_atmo_national_2024.csv", "--dry-run")
    assert out.startswith("Simulation") and "6 ajoutées" in out
    assert not IndiceAtmo.objects.exists()


def test_a_file_without_the_national_columns_is_refused(territoire, tmp_path):
    refused = refusal(tmp_path, "date,valeur\n2024-01-15,3\n")
    assert "date_ech" in str(refused) and "code_zone" in str(refused)


def test_a_file_of_epci_only_is_refused(territoire, tmp_path):
    refused = refusal(
        tmp_path, "date_ech;code_qual;lib_qual;type_zone;code_zone\n2024-01-15;2;Moyen;EPCI;200054807\n"
    )
    assert "Aucune ligne d'indice communal" in str(refused)


def test_progress_is_reported(territoire):
    calls = []
    get_importer("indice_atmo").execute(
        FIXTURES / "indice_atmo_national_2024.csv", progress=lambda *a: calls.append(a)
    )
    assert calls[-1] == (6, 6)


def test_demo_files_go_through_the_importers(territoire, tmp_path):
    import time

    from django.db.models import Count

    from environnement.demo_atmo import write_demo_files
    from environnement.enums import QualiteAir
    from environnement.models import EmissionCommune

    started = time.monotonic()
    files = write_demo_files(tmp_path)
    assert [kind for kind, _ in files] == ["indice_atmo", "indice_atmo", "emissions_air"]
    for kind, path in files:
        get_importer(kind).execute(path)
    elapsed = time.monotonic() - started
    communes = territoire_count()
    assert IndiceAtmo.objects.count() == communes * (365 + 366)
    by_class = dict(IndiceAtmo.objects.values_list("code_qual").annotate(n=Count("id")))
    assert by_class[QualiteAir.MOYEN] > sum(by_class.values()) / 2  # mostly « moyen »
    summer_bad = IndiceAtmo.objects.filter(code_qual__gte=3, date_ech__month__in=[6, 7, 8]).count()
    winter_bad = IndiceAtmo.objects.filter(code_qual__gte=3, date_ech__month__in=[12, 1, 2]).count()
    assert summer_bad > winter_bad > 0
    fos = IndiceAtmo.objects.filter(commune__insee="13039", code_qual__gte=3).count()
    inland = IndiceAtmo.objects.filter(commune__insee="13071", code_qual__gte=3).count()
    assert fos > inland
    assert EmissionCommune.objects.filter(version="v2024").values("annee").distinct().count() == 5
    assert elapsed < 20, f"démo importée en {elapsed:.1f} s"


def territoire_count():
    from observatoire.territoires.models import Commune

    return Commune.objects.filter(epci__isnull=False).count()


def test_an_emissions_file_given_here_is_named_with_its_import(territoire):
    emissions = FIXTURES.parent / "emissions" / "cigale_inventaire_v2023_communes.csv"
    with pytest.raises(ImportRejected) as refused:
        get_importer("indice_atmo").execute(emissions)
    assert "import_emissions_air" in str(refused.value)


def test_an_arcgis_rest_answer_with_epoch_dates_is_read(territoire, tmp_path):
    path = tmp_path / "query.json"
    path.write_text(
        '{"objectIdFieldName": "ObjectId", "features": [{"attributes": {"date_ech": 1705273200000, '
        '"code_qual": 3, "lib_qual": "Dégradé", "type_zone": "commune", "code_zone": "13001", '
        '"code_no2": 3, "code_so2": 1, "code_o3": 2, "code_pm10": 2, "code_pm25": 2, "source": "AtmoSud"}}]}',
        encoding="utf-8",
    )
    get_importer("indice_atmo").execute(path)
    assert IndiceAtmo.objects.get().date_ech == date(2024, 1, 15)


def test_the_former_index_is_refused_saying_why(territoire, tmp_path):
    text = "date_ech;valeur;qualif;source;agglomeration\n2019-07-01;6;Médiocre;AtmoSud;Marseille\n"
    assert "ancien indice ATMO" in str(refusal(tmp_path, text))


def test_arrondissements_merge_at_their_worst_class_unless_marseille_has_its_row(
    territoire, marseille, tmp_path
):
    path = tmp_path / "atmosud.csv"
    path.write_text(
        "date_ech;code_qual;lib_qual;type_zone;code_zone;code_no2;code_o3\n"
        "2024-01-15;2;Moyen;commune;13201;2;1\n"
        "2024-01-15;4;Mauvais;commune;13202;1;4\n"
        "2024-01-16;2;Moyen;commune;13201;2;1\n"
        "2024-01-16;1;Bon;commune;13055;1;1\n"
        "2024-01-16;3;Dégradé;commune;13001.0;3;1\n",  # a code a spreadsheet wrote as a number
        encoding="utf-8",
    )
    summary = get_importer("indice_atmo").execute(path)
    merged = IndiceAtmo.objects.get(commune=marseille, date_ech=date(2024, 1, 15))
    assert (merged.code_qual, merged.lib_qual, merged.code_no2, merged.code_o3) == (4, "Mauvais", 2, 4)
    assert IndiceAtmo.objects.get(commune=marseille, date_ech=date(2024, 1, 16)).code_qual == 1
    assert IndiceAtmo.objects.get(commune__insee="13001", date_ech=date(2024, 1, 16)).code_qual == 3
    assert summary.details["arrondissements_ignores"] == 1


def test_a_wrong_commune_code_names_line_and_column(territoire, tmp_path):
    refused = refusal(
        tmp_path, "date_ech;code_qual;lib_qual;type_zone;code_zone\n2024-01-15;2;Moyen;commune;13O01\n"
    )
    assert refused.errors == ["ligne 2, colonne code_zone : code commune INSEE invalide « 13O01 »."]
