"""The REI importer on the samples of ``fixtures/rei/`` (each vintage's layout) and on variants made here."""

import shutil
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from fiscalite.enums import Element as E
from fiscalite.models import ElementImposition
from fiscalite.rei import commune_code, read
from fiscalite.rei_variables import key, variable
from observatoire.imports.base import ImportRejected, get_importer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rei"


def stored(insee, annee, element):
    row = ElementImposition.objects.get(commune__insee=insee, annee=annee, element=element)
    return row.valeur, row.secret


def run(path, *options):
    from io import StringIO

    out = StringIO()
    call_command("import_rei", str(path), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


def refusal(path):
    with pytest.raises(CommandError) as refused:
        run(path)
    return str(refused.value)


def test_2017_workbook_with_codes_reads_net_rates_secret_and_marseille(territoire):
    out = run(FIXTURES / "REI_2017.xlsx")
    assert "4 lignes lues, " in out and "1 hors du territoire" in out
    assert stored("13055", 2017, E.TFB_TAUX_COMMUNE) == (24.02, False)  # E12: no E12VOTE in 2017
    assert stored("13055", 2017, E.TH_BASE_COMMUNE) == (1154782100, False)
    assert stored("13055", 2017, E.CFE_TAUX_EPCI) == (32.95, False)
    assert stored("13055", 2017, E.TEOM_TAUX) == (18.13, False)
    # An empty cell is statistical secrecy, not zero; a 0 is a zero.
    assert stored("13090", 2017, E.TFNB_BASE_COMMUNE) == (None, True)
    assert stored("13090", 2017, E.TFB_TAUX_EPCI) == (0, False)
    assert not ElementImposition.objects.filter(commune__insee="13004").exists()
    assert not ElementImposition.objects.filter(element__startswith="thrs").exists()


def test_2020_workbook_with_long_labels(territoire):
    out = run(FIXTURES / "REI_2020.xlsx")
    assert "7 lignes lues, " in out and "1 hors du territoire" in out
    assert stored("13046", 2020, E.TFNB_TAUX_COMMUNE) == (61.2, False)
    assert stored("13103", 2020, E.TFB_PRODUIT_COMMUNE) == (22230207, False)
    assert stored("13001", 2020, E.CFE_TAUX_EPCI) == (32.95, False)  # « … / TAUX NET / FP UNIQUE »
    assert stored("13001", 2020, E.TEOM_BASE) == (321547800, False)
    assert stored("13090", 2020, E.TFNB_PRODUIT_COMMUNE) == (None, True)
    assert ElementImposition.objects.filter(annee=2020, commune__insee="13055").count() == 20


def test_2023_csv_latin1_with_codes_keeps_voted_rates_and_second_homes(territoire):
    out = run(FIXTURES / "REI_2023.csv")
    assert "5 lignes lues, " in out and "1 hors du territoire" in out
    assert stored("13055", 2023, E.TFB_TAUX_COMMUNE) == (44.54, False)  # « 44,54 »: decimal comma
    assert stored("13055", 2023, E.TFB_PRODUIT_EPCI) == (39172680, False)
    # From 2023 the TH base and yield are those of second homes.
    assert stored("13055", 2023, E.THRS_BASE_COMMUNE) == (98745120, False)
    assert stored("13055", 2023, E.TH_TAUX_COMMUNE) == (39.17, False)
    assert not ElementImposition.objects.filter(annee=2023, element=E.TH_BASE_COMMUNE).exists()
    assert stored("13046", 2023, E.THRS_PRODUIT_COMMUNE) == (None, True)
    assert stored("13090", 2023, E.TFNB_BASE_COMMUNE) == (None, True)


def test_the_zip_of_the_dgfip_is_read_beside_its_notice(territoire):
    out = run(FIXTURES / "REI_2023.zip")
    assert "5 lignes lues, " in out
    assert stored("13001", 2023, E.TEOM_TAUX) == (10.71, False)


def test_ofgl_long_republication(territoire):
    out = run(FIXTURES / "ofgl_rei_2024_amp.csv")
    assert "13 lignes lues" in out
    assert stored("13055", 2024, E.TFB_TAUX_COMMUNE) == (44.54, False)
    assert stored("13055", 2024, E.THRS_BASE_COMMUNE) == (101254700, False)
    assert stored("13001", 2024, E.CFE_TAUX_EPCI) == (32.95, False)
    assert stored("13090", 2024, E.TFNB_BASE_COMMUNE) == (None, True)  # secret_statistique
    assert ElementImposition.objects.filter(annee=2024).count() == 10


def test_dry_run_writes_nothing_and_reimport_is_idempotent(territoire):
    dry = run(FIXTURES / "REI_2023.csv", "--dry-run")
    assert dry.startswith("Simulation") and not ElementImposition.objects.exists()
    first = run(FIXTURES / "REI_2023.csv")
    count = ElementImposition.objects.count()
    assert ", 0 mises à jour" in first
    again = run(FIXTURES / "REI_2023.csv")
    assert ElementImposition.objects.count() == count
    assert "5 lignes lues, 0 ajoutées, " in again


def test_a_file_of_the_var_is_refused_naming_it(territoire):
    text = refusal(FIXTURES / "REI_2023_var.csv")
    assert "Aucune ligne du fichier ne concerne le territoire" in text and "Var (83)" in text
    assert not ElementImposition.objects.exists()


def test_a_bad_number_is_refused_with_line_and_column(territoire):
    text = refusal(FIXTURES / "REI_2023_nombre_invalide.csv")
    assert "ligne 3, colonne E13 : nombre attendu, lu « 39547O40 »." in text
    assert not ElementImposition.objects.exists()


def test_a_rate_above_100_is_refused(territoire, tmp_path):
    lines = (FIXTURES / "REI_2023.csv").read_bytes().decode("latin-1").split("\r\n")
    lines[1] = lines[1].replace(";41,42;41,42;", ";41,42;414,2;", 1)
    path = tmp_path / "REI_2023.csv"
    path.write_bytes("\r\n".join(lines).encode("latin-1"))
    text = refusal(path)
    assert "ligne 2, colonne E12VOTE : taux de 414,2 % hors de l'intervalle 0 à 100 %." in text


def test_the_year_comes_from_a_column_else_the_title_else_the_name(territoire, tmp_path):
    source = (FIXTURES / "REI_2023.csv").read_bytes().decode("latin-1").split("\r\n")
    nameless = tmp_path / "extrait.csv"
    nameless.write_bytes("\r\n".join(source).encode("latin-1"))
    with pytest.raises(ImportRejected, match="Année d'imposition introuvable"):
        read(nameless)
    with_column = ["EXERCICE;" + source[0], *("2022;" + line for line in source[1:] if line)]
    nameless.write_bytes("\r\n".join(with_column).encode("latin-1"))
    _, summary = read(nameless)
    assert summary.details["annees"] == [2022]
    # A workbook whose title row names the year (the header below it).
    book = Workbook()
    sheet = book.active
    sheet.append(["Fichier de recensement des éléments d'imposition - année 2021"])
    sheet.append(["DEP", "COM", "LIBCOM", "E12VOTE"])
    sheet.append(["13", "055", "MARSEILLE", 44.54])
    titled = tmp_path / "classeur.xlsx"
    book.save(titled)
    _, summary = read(titled)
    assert summary.details["annees"] == [2021]


def test_a_zip_without_data_is_refused(territoire, tmp_path):
    path = tmp_path / "REI_2023.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("REI_2023_notice.pdf", b"%PDF-1.4")
    assert "ne contient pas de fichier de données du REI" in refusal(path)


def test_a_zip_of_several_years_asks_which_and_leaves_the_notices_out(territoire, tmp_path):
    path = tmp_path / "REI.zip"
    with zipfile.ZipFile(FIXTURES / "REI_2023.zip") as dgfip, zipfile.ZipFile(path, "w") as archive:
        data = dgfip.read("REI_2023.csv")
        archive.writestr("REI_2022.csv", data)
        archive.writestr("REI_2023.csv", data)
        archive.writestr("TRACE_REI.xlsx", dgfip.read("TRACE_REI.xlsx"))
    text = refusal(path)
    assert "--membre" in text and "« REI_2022.csv », « REI_2023.csv »" in text and "TRACE" not in text
    assert "5 lignes lues, " in run(path, "--membre", "REI_2023.csv")
    # A notice beside a 7-Zip archive: the 7-Zip is what to extract, not « seulement sa documentation ».
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("REI_2023_notice.pdf", b"%PDF-1.4")
        archive.writestr("REI_2023.7z", b"7z")
    assert "archive 7-Zip (« REI_2023.7z »)" in refusal(path)


def test_an_unknown_header_is_refused_saying_what_is_expected(territoire, tmp_path):
    path = tmp_path / "REI_2023.csv"
    path.write_text("code;nom;taux\n13055;Marseille;44,5\n", encoding="utf-8")
    text = refusal(path)
    assert "DEP et COM" in text and "idcom, var et valeur" in text


def test_variables_are_compared_without_accents_spaces_or_case():
    assert variable("CFE - COMMUNE /TAUX NET") == variable("cfe - commune / taux net")
    assert variable("FB - COMMUNE / TAUX VOTÉ").element == E.TFB_TAUX_COMMUNE
    assert variable("E12VOTE").rank < variable("E12").rank
    assert variable("H11").element_for(2022) == E.TH_BASE_COMMUNE
    assert variable("H11").element_for(2023) == E.THRS_BASE_COMMUNE
    assert key("Libellé commune") == "LIBELLECOMMUNE"


def test_codes_seen_in_public_readers_of_the_real_files():
    """TEOM total F13, full-rate zone F2x; second homes' TH « THS » codes from 2023."""
    assert variable("F13").element == E.TEOM_PRODUIT
    assert variable("F22").element == E.TEOM_TAUX
    assert variable("F12") is None and variable("F23") is None  # F23: the full-rate zone's yield only
    assert variable("H13THS").element_for(2024) == E.THRS_PRODUIT_COMMUNE
    assert variable("TXMAJOTHRS").element == E.THRS_MAJORATION


def test_ofgl_labels_seen_in_a_public_reader_of_the_varlib_and_the_codes_inferred_from_them():
    """Labels as a public reader of the OFGL's 2023–2024 ``varlib`` lists them; the codes F21 and
    H11THS were not seen anywhere and follow the units-digit scheme (1 base nette)."""
    assert variable("FB - TEOM / TAUX PLEIN - BASE NETTE").element == E.TEOM_BASE
    assert variable("FB - TEOM / TAUX PLEIN - TAUX NET").element == E.TEOM_TAUX
    assert variable("FB - TEOM / MONTANT RÉEL TOTAL").element == E.TEOM_PRODUIT
    assert variable("TH - COMMUNE / BASE NETTE THS").element == E.THRS_BASE_COMMUNE
    assert variable("TH - COMMUNE / MONTANT RÉEL THS").element == E.THRS_PRODUIT_COMMUNE
    assert variable("F21") == variable("FB - TEOM / TAUX PLEIN - BASE NETTE")
    assert variable("H11THS") == variable("TH - COMMUNE / BASE NETTE THS")


def test_commune_codes_from_departement_and_commune():
    assert commune_code("13", "55") == "13055"
    assert commune_code(13.0, 1.0) == "13001"
    assert commune_code("2A", "004") == "2A004"
    assert commune_code("971", "101") == "97101"
    assert commune_code("13", "") is None


def test_the_registry_and_the_admin_know_it():
    importer = get_importer("rei")
    assert importer.observatoire == "fiscalite"
    assert set(importer.extensions) == {".zip", ".csv", ".xlsx"}


def test_progress_is_reported(territoire, tmp_path):
    calls = []
    path = tmp_path / "REI_2023.csv"
    shutil.copy(FIXTURES / "REI_2023.csv", path)
    get_importer("rei").execute(path, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (5, 5)


def test_a_workbook_zipped_beside_a_pdf_notice(territoire, tmp_path):
    path = tmp_path / "REI_2020.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(FIXTURES / "REI_2020.xlsx", "REI_2020/REI_2020.xlsx")
        archive.writestr("REI_2020/Notice_REI_2020.pdf", b"%PDF-1.4")
    assert "7 lignes lues" in run(path)
    assert stored("13055", 2020, E.TFB_TAUX_COMMUNE) == (24.02, False)


def test_the_voted_rate_wins_over_the_net_rate(territoire, tmp_path):
    path = tmp_path / "REI_2024.csv"
    rows = ["DEP;COM;LIBCOM;E12;E12VOTE;B12", "13;055;MARSEILLE;44,00;44,54;27,51", ""]
    path.write_text("\r\n".join(rows), encoding="latin-1")
    run(path)
    assert stored("13055", 2024, E.TFB_TAUX_COMMUNE) == (44.54, False)
    assert stored("13055", 2024, E.TFNB_TAUX_COMMUNE) == (27.51, False)  # net only: kept
