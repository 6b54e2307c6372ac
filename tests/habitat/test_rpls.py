from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from habitat.indicateurs import recompute
from habitat.models import ParcSocial
from observatoire.indicateurs.models import Indicateur, Valeur

TITLES = [
    ["Le parc locatif social des communes"],
    ["Parc locatif social au 1er janvier 2024"],
    ["Résultats par commune"],
    ["Source : SDES, RPLS"],
    [],
]
HEADER = ["DEPCOM_ARM", "LIBCOM", "DEP", "REG", "nb_ls", "nb_loues", "nb_vacants", "nb_vides", "nb_asso",
          "nb_ls_en_qpv", "densite", "tx_vac", "tx_vac3", "tx_mob", "loymoy"]  # fmt: skip
ROWS = [
    ["13001", "Aix-en-Provence", "13", "93", 15000, 14500, 300, 200, 10, 5000, 21.4, 2.0, 0.8, 8.0, 6.5],
    # Marseille by arrondissement: counts add up, rates are weighted by the stock on offer.
    ["13201", "Marseille 1er", "13", "93", 2000, 1900, 100, 0, 0, 0, 10.0, 5.0, 2.0, 10.0, 6.0],
    ["13214", "Marseille 14e", "13", "93", 8000, 7700, 100, 200, 0, 6000, 40.0, 1.25, 0.5, 7.0, 5.5],
    # Statistical secrecy on a small stock.
    ["13090", "Saint-Antonin-sur-Bayon", "13", "93", 3, 3, 0, 0, 0, 0, 5.0, 0, 0, "s", "s"],
    ["83137", "Toulon", "83", "93", 20000, 19000, 500, 500, 0, 9000, 22.0, 2.5, 1.0, 9.0, 6.1],
]


def workbook(tmp_path, rows=ROWS, titles=TITLES, header=HEADER, sheet="COMMUNE", name="rpls.xlsx"):
    book = Workbook()
    book.active.title = "Lisez-moi"
    page = book.create_sheet(sheet)
    for row in [*titles, header, *rows, [], ["Secret statistique : s."]]:
        page.append(row)
    path = tmp_path / name
    book.save(path)
    return str(path)


def value(code, **territory):
    return Valeur.objects.get(indicateur__code=code, millesime=2024, **territory).valeur


def test_import_reads_millesime_adds_up_marseille_and_computes_indicators(territoire, tmp_path, capsys):
    call_command("import_rpls", workbook(tmp_path))
    assert "5 lignes lues, 3 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    marseille = ParcSocial.objects.get(commune__insee="13055", millesime=2024)
    assert (marseille.nb_ls, marseille.nb_loues, marseille.nb_vacants, marseille.nb_ls_en_qpv) == (
        10000,
        9600,
        200,
        6000,
    )
    # Weighted by loués + vacants: (5.0 × 2000 + 1.25 × 7800) / 9800.
    assert marseille.tx_vac == pytest.approx((5.0 * 2000 + 1.25 * 7800) / 9800)
    assert marseille.loymoy == pytest.approx((6.0 * 1900 + 5.5 * 7700) / 9600)
    small = ParcSocial.objects.get(commune__insee="13090")
    assert (small.nb_ls, small.tx_mob, small.loymoy) == (3, None, None)

    recompute()
    assert value("logements-sociaux", commune__insee="13055") == 10000
    assert value("logements-sociaux", epci__siren="200054807") == 25003
    assert value("part-logements-sociaux-qpv", commune__insee="13055") == 60
    assert value("part-logements-sociaux-qpv", epci__siren="200054807") == pytest.approx(11000 / 25003 * 100)
    assert value("taux-mobilite-parc-social", commune__insee="13001") == 8.0
    assert value("loyer-moyen-parc-social", epci__siren="200054807") == pytest.approx(
        (6.5 * 14500 + marseille.loymoy * 9600) / 24100
    )
    assert not Valeur.objects.filter(
        indicateur__code="loyer-moyen-parc-social", commune__insee="13090"
    ).exists()
    assert Indicateur.objects.get(code="part-logements-sociaux-qpv").rubrique.slug == "renouvellement-urbain"
    assert Indicateur.objects.get(code="taux-vacance-parc-social").dernier_millesime == 2024


def test_reimport_is_idempotent_and_dry_run_writes_nothing(territoire, tmp_path, capsys):
    path = workbook(tmp_path)
    call_command("import_rpls", path, dry_run=True)
    assert "Simulation" in capsys.readouterr().out
    assert not ParcSocial.objects.exists()
    call_command("import_rpls", path)
    call_command("import_rpls", path)
    assert "0 ajoutées, 3 mises à jour" in capsys.readouterr().out
    assert ParcSocial.objects.count() == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["13005", "Aubagne", "13", "93", "beaucoup"], "ligne 12, colonne nb_ls : nombre entier attendu"),
        (
            ["13005", "Aubagne", "13", "93", 10.5],
            "ligne 12, colonne nb_ls : nombre entier attendu, lu « 10.5 »",
        ),
        (
            ["13005", "Aubagne", "13", "93", 10, 9, 1, 0, 0, 0, 1, "2,x"],
            "ligne 12, colonne tx_vac : nombre invalide",
        ),
        (
            ["13005", "Aubagne", "13", "93", 10, 9, 1, 0, 0, 0, 1, 140],
            "ligne 12, colonne tx_vac : nombre invalide",
        ),
        (["13-05", "Aubagne", "13", "93", 10], "ligne 12, colonne DEPCOM_ARM : code commune invalide"),
        # Before: a letter O for a zero was a commune outside the territory, skipped in silence.
        (
            ["13O05", "Aubagne", "13", "93", 10],
            "ligne 12, colonne DEPCOM_ARM : code commune invalide « 13O05 »",
        ),
        (
            [13005.5, "Aubagne", "13", "93", 10],
            "ligne 12, colonne DEPCOM_ARM : code commune invalide « 13005.5 »",
        ),
        (
            ["13201", "Marseille 1er", "13", "93", 10],
            "ligne 12, colonne DEPCOM_ARM : commune 13201 en double",
        ),
    ],
    ids=["texte", "decimal", "taux", "taux-100", "commune", "lettre-o", "code-decimal", "doublon"],
)
def test_one_bad_cell_rejects_the_file_and_names_row_and_column(territoire, tmp_path, row, message):
    call_command("import_rpls", workbook(tmp_path))
    before = list(ParcSocial.objects.values_list("pk", "nb_ls"))
    rows = [r.copy() for r in ROWS]
    rows[0][4] = 99999
    with pytest.raises(CommandError, match=message):
        call_command("import_rpls", workbook(tmp_path, [*rows, row], name="bad.xlsx"))
    assert list(ParcSocial.objects.values_list("pk", "nb_ls")) == before


def test_codes_the_workbook_holds_as_numbers_are_read(territoire, tmp_path):
    # A code column formatted as numbers: the cells are numbers, read as the commune's code.
    rows = [[int(row[0]), *row[1:]] if row[0] in ("13001", "13201") else row for row in ROWS]
    call_command("import_rpls", workbook(tmp_path, rows), verbosity=0)
    assert ParcSocial.objects.get(commune__insee="13001").nb_ls == 15000
    assert ParcSocial.objects.get(commune__insee="13055").nb_ls == 10000


def test_structure_errors_are_clear(territoire, tmp_path):
    titles = [["Le parc locatif social"], ["Résultats 2024"], [], [], []]
    with pytest.raises(CommandError, match=r"Millésime introuvable.*au 1er janvier AAAA"):
        call_command("import_rpls", workbook(tmp_path, titles=titles))
    with pytest.raises(CommandError, match=r"Colonne\(s\) absente\(s\) en ligne 6 : nb_ls_en_qpv, tx_mob"):
        header = [h for h in HEADER if h not in ("nb_ls_en_qpv", "tx_mob")]
        call_command("import_rpls", workbook(tmp_path, header=header))
    with pytest.raises(
        CommandError, match="Feuille « COMMUNE » absente ; feuilles du classeur : Lisez-moi, EPCI"
    ):
        call_command("import_rpls", workbook(tmp_path, sheet="EPCI"))
    text = tmp_path / "not.xlsx"
    text.write_text("DEPCOM_ARM;nb_ls\n")
    with pytest.raises(CommandError, match=r"Ce fichier n'est pas un classeur Excel \(.xlsx\)"):
        call_command("import_rpls", str(text))
    assert not ParcSocial.objects.exists()


RPLS = Path(__file__).resolve().parents[2] / "fixtures" / "rpls"


def test_the_workbook_inside_a_zip_is_read(territoire, capsys):
    # Before: « openpyxl does not support .zip file format », in English.
    call_command("import_rpls", str(RPLS / "rpls_resultats_communes_2024_xlsx.zip"))
    assert "5 lignes lues, 4 ajoutées" in capsys.readouterr().out
    assert ParcSocial.objects.get(commune__insee="13055").nb_ls == 3012 + 13820


def test_a_sheet_named_in_lower_case_with_its_header_lower_is_read(territoire, tmp_path):
    titles = [["Parc locatif social au 1er janvier 2024"], [], [], [], [], ["Résultats par commune"]]
    call_command("import_rpls", workbook(tmp_path, titles=titles, sheet="Commune"), verbosity=0)
    assert ParcSocial.objects.get(commune__insee="13001").nb_ls == 15000


def test_a_csv_given_to_rpls_is_named_and_a_file_of_elsewhere_refused(territoire):
    sitadel = (
        Path(__file__).resolve().parents[2]
        / "fixtures"
        / "sitadel"
        / "donnees_annuelles_communales_logements.csv"
    )
    with pytest.raises(CommandError, match=r"Sitadel.*import_sitadel"):
        call_command("import_rpls", str(sitadel))
    with pytest.raises(CommandError, match=r"Aucune ligne du fichier ne concerne le territoire.*Var \(83\)"):
        call_command("import_rpls", str(RPLS / "rpls_resultats_communes_2024_var.xlsx"))
    assert not ParcSocial.objects.exists()
