import io
from pathlib import Path

import pytest
from django.core.management import call_command

from fiscalite import dgcl
from fiscalite.dgcl import columns_of, normalise
from fiscalite.models import CriteresDotation
from observatoire.imports.base import ImportRejected, choices, get_importer
from observatoire.territoires.models import Commune

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "dgcl"
CODE = "Informations générales - Code INSEE de la commune"
PF = "Potentiel fiscal et financier des communes - Potentiel financier"


def run(path, kind="dgcl_criteres", **options):
    return get_importer(kind).execute(path, **options)


def write(tmp_path, name, *lines, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_2019_labels_decimal_comma_and_the_year_from_the_file_name(marseille, aix):
    summary = run(FIXTURES / "2019-communes-criteres-repartition.csv")
    assert (summary.read, summary.inserted, summary.skipped_outside) == (4, 3, 1)
    row = CriteresDotation.objects.get(commune=marseille, annee=2019)
    assert (row.population_dgf, row.population_insee, row.strate) == (893_120, 868_277, "15")
    assert row.potentiel_fiscal == 1_031_450_210
    assert row.potentiel_financier == 1_254_876_432
    assert row.potentiel_financier_par_habitant == pytest.approx(1405.054177)
    assert row.potentiel_financier_moyen_strate == pytest.approx(1399.801237)
    assert row.effort_fiscal == pytest.approx(1.321456)
    assert row.effort_fiscal_moyen_strate is None  # not in the 2019 file
    assert CriteresDotation.objects.get(commune=aix, annee=2019).potentiel_fiscal == pytest.approx(
        198_765_432.5
    )


def test_2021_labels_with_the_stratum_averages(marseille):
    run(FIXTURES / "criteres_repartition_2021.csv")
    row = CriteresDotation.objects.get(commune=marseille, annee=2021)
    assert row.population_dgf == 897_402
    assert row.potentiel_financier_moyen_strate == pytest.approx(1412.5521)
    assert row.effort_fiscal_moyen_strate == pytest.approx(1.187654)


def test_2022_final_labels_in_windows_1252(marseille):
    summary = run(FIXTURES / "criteres_repartition_2022.csv")
    row = CriteresDotation.objects.get(commune=marseille, annee=2022)
    assert row.potentiel_financier == 1_301_234_567
    assert row.potentiel_financier_par_habitant == pytest.approx(1446.9257)
    assert row.effort_fiscal == pytest.approx(1.276543)
    assert "potentiel_fiscal" in summary.details["criteres"]
    # Not in the DGCL's table since 2022 (LexImpact recomputes it): left empty, not invented.
    assert row.potentiel_financier_moyen_strate is None


def test_2024_zipped_then_reimported_updates(marseille):
    assert run(FIXTURES / "criteres_repartition_2024_csv.zip").inserted == 3
    summary = run(FIXTURES / "criteres_repartition_2024.csv")
    assert (summary.inserted, summary.updated) == (0, 3)
    assert CriteresDotation.objects.get(commune=marseille, annee=2024).population_dgf == 905_612


def test_the_final_column_wins_when_a_file_has_both():
    header = [CODE, PF, f"{PF} final", f"{PF} par habitant", f"{PF} par habitant final"]
    columns = columns_of(header)
    assert columns["potentiel_financier"] == f"{PF} final"
    assert columns["potentiel_financier_par_habitant"] == f"{PF} par habitant final"


def test_labels_are_matched_whatever_their_accents_case_apostrophes_and_spaces(tmp_path, aix):
    path = write(
        tmp_path,
        "criteres_2023.csv",
        "INFORMATIONS GENERALES - CODE INSEE DE LA COMMUNE;"
        "Informations générales -  Population DGF de l’année N;"
        "POTENTIEL FISCAL ET FINANCIER DES COMMUNES – Potentiel financier final;"
        "Effort fiscal - Effort Fiscal final",
        "1001;12;3,5;0,9",
        "13001;151654;257890123;1,071234",
    )
    summary = run(path)
    assert summary.skipped_outside == 1  # 01001, its leading zero lost, lies in the Ain
    row = CriteresDotation.objects.get(commune=aix, annee=2023)
    assert (row.population_dgf, row.potentiel_financier) == (151_654, 257_890_123)
    assert row.effort_fiscal == pytest.approx(1.071234)
    assert normalise("Informations générales - Population DGF Année N'") == (
        "informations generales - population dgf annee n'"
    )


def test_the_year_from_a_column_from_the_command_or_from_the_admin_kind(tmp_path, aix):
    with_column = write(tmp_path, "criteres.csv", f"Année;{CODE};{PF} final", "2020;13001;1,5")
    run(with_column)
    assert CriteresDotation.objects.get(commune=aix).annee == 2020
    without = write(tmp_path, "export.csv", f"{CODE};{PF} final", "13001;2,5")
    with pytest.raises(ImportRejected, match="Année du fichier inconnue"):
        run(without)
    call_command("import_dgcl_criteres", str(without), "--annee", "2018", stdout=io.StringIO(), verbosity=0)
    assert CriteresDotation.objects.get(commune=aix, annee=2018).potentiel_financier == 2.5
    run(without, kind="dgcl_criteres:2017")
    assert CriteresDotation.objects.get(commune=aix, annee=2017).potentiel_financier == 2.5
    assert (
        "dgcl_criteres:2024",
        "DGCL : critères de répartition des dotations des communes, 2024",
    ) in choices()


def test_errors_name_the_line_and_the_column(tmp_path, territoire):
    path = write(
        tmp_path,
        "criteres_repartition_2023.csv",
        f"{CODE};Informations générales - Population DGF de l'année N;Effort fiscal - Effort fiscal final",
        "13001;151654,5;1,07",
        "13001;151654;1,07",
        "13x;1;1",
    )
    with pytest.raises(ImportRejected) as refused:
        run(path)
    assert refused.value.errors == [
        "ligne 2, colonne Informations générales - Population DGF de l'année N : valeur invalide "
        "« 151654,5 » (nombre entier attendu).",
        f"ligne 3, colonne {CODE} : commune « 13001 » déjà lue ligne 2.",
        f"ligne 4, colonne {CODE} : code INSEE invalide « 13x ».",
    ]
    assert not CriteresDotation.objects.exists()


def test_a_file_without_the_code_insee_is_refused_naming_it(tmp_path, territoire):
    path = write(
        tmp_path, "criteres_2023.csv", "Informations générales - SIREN de l'EPCI;Potentiel fiscal", "1;2"
    )
    with pytest.raises(ImportRejected, match="Code INSEE de la commune"):
        run(path)
    assert Commune.objects.exists()


def test_the_demo_files_go_through_the_importer_one_year_each(tmp_path, marseille):
    from fiscalite.demo_dgcl import write_demo_files

    files = write_demo_files(tmp_path)
    assert [kind for kind, _ in files] == ["dgcl_criteres"] * 6
    for kind, path in files:
        get_importer(kind).execute(path)
    communes = Commune.objects.filter(epci__isnull=False).count()
    assert CriteresDotation.objects.count() == communes * 6
    row = CriteresDotation.objects.get(commune=marseille, annee=2024)
    assert row.population_dgf > row.population_insee
    assert 1_000 < row.potentiel_financier_par_habitant < 2_000
    assert row.potentiel_financier == pytest.approx(
        row.potentiel_financier_par_habitant * row.population_dgf, rel=1e-3
    )
    # Since 2022 the DGCL no longer publishes the stratum's mean; an extract cannot recompute it.
    assert row.potentiel_financier_moyen_strate is None
    assert CriteresDotation.objects.get(commune=marseille, annee=2021).potentiel_financier_moyen_strate
    assert not CriteresDotation.objects.filter(effort_fiscal_moyen_strate__isnull=False).exists()


def test_an_ofgl_file_given_here_is_named_with_its_import(territoire):
    ofgl = FIXTURES.parent / "ofgl" / "ofgl-base-communes-consolidee_2024.csv"
    with pytest.raises(ImportRejected, match=r"OFGL, comptes des communes.*import_ofgl_comptes"):
        run(ofgl)


def test_the_stratum_mean_is_recomputed_from_a_national_file(marseille, monkeypatch):
    """Since 2022 the DGCL gives no stratum mean: Σ potentiel financier ÷ Σ population DGF of the stratum
    (as LexImpact recomputes it), only from the national file (here: its threshold lowered)."""
    summary = run(FIXTURES / "criteres_repartition_2024.csv")
    assert "non recalculé" in " ".join(summary.warnings)
    row = CriteresDotation.objects.get(commune=marseille, annee=2024)
    assert row.potentiel_financier_moyen_strate is None
    monkeypatch.setattr(dgcl, "NATIONAL_FILE", 3)
    summary = run(FIXTURES / "criteres_repartition_2024.csv")
    assert "recalculé, somme des potentiels financiers" in " ".join(summary.warnings)
    row = CriteresDotation.objects.get(commune=marseille, annee=2024)
    assert row.potentiel_financier_moyen_strate == pytest.approx(1_345_678_901 / 905_612)


def test_an_arrondissement_row_never_overwrites_marseille(tmp_path, marseille):
    path = write(tmp_path, "criteres_repartition_2021.csv", f"{CODE};{PF}", "13055;1254876432", "13201;1234")
    summary = run(path)
    assert CriteresDotation.objects.get(commune=marseille, annee=2021).potentiel_financier == 1_254_876_432
    assert summary.details["arrondissements_ignores"] == 1
