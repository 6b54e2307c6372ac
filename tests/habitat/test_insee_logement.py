from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from habitat.indicateurs import recompute
from habitat.models import LogementRecensement
from observatoire.imports.base import get_importer
from observatoire.indicateurs.models import Indicateur, Valeur

HEADER = (
    "CODGEO;LIBGEO;P21_LOG;P21_RP;P21_RSECOCC;P21_LOGVAC;P21_MAISON;P15_LOG;P15_RP;P15_RSECOCC;P15_LOGVAC\n"
)
AIX = "13001;Aix-en-Provence;80000.5;70000.25;4000.25;6000;15000;76000;67000;3500;5500\n"
GOOD = (
    HEADER
    + AIX
    + (
        # Marseille by arrondissement: added up into the commune.
        "13201;Marseille 1er Arrondissement;25000;20000;1000;4000;500;24000;19500;900;3600\n"
        "13202;Marseille 2e Arrondissement;15000;12000;500;2500;300;14000;11000;600;2400\n"
        # Another département: skipped and counted.
        "83137;Toulon;100000;90000;5000;5000;20000;98000;88000;5000;5000\n"
    )
)


def write(tmp_path, text, name="base-cc-logement.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def value(code, millesime, **territory):
    return Valeur.objects.get(indicateur__code=code, millesime=millesime, **territory).valeur


def test_two_censuses_arrondissements_added_up_outside_skipped(territoire, tmp_path, capsys):
    call_command("import_insee_logement", write(tmp_path, GOOD))
    assert "4 lignes lues, 4 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    marseille = LogementRecensement.objects.get(commune__insee="13055", millesime=2021)
    assert (marseille.logements, marseille.residences_principales, marseille.logements_vacants) == (
        40000,
        32000,
        6500,
    )
    assert marseille.rp_proprietaires is None  # column absent from this file
    aix_2015 = LogementRecensement.objects.get(commune__insee="13001", millesime=2015)
    assert aix_2015.residences_principales == 67000

    recompute()
    assert value("taux-vacance-logements", 2021, commune__insee="13055") == pytest.approx(16.25)
    assert value("taux-vacance-logements", 2021, commune__insee="13001") == pytest.approx(600000 / 80000.5)
    assert value("part-residences-secondaires", 2015, commune__insee="13001") == pytest.approx(3500 / 760)
    assert value("parc-logements", 2021, epci__siren="200054807") == pytest.approx(120000.5)
    # The metropolis: ratio of the sums, not the mean of the communes' rates.
    assert value("taux-vacance-logements", 2021, epci__siren="200054807") == pytest.approx(
        12500 / 120000.5 * 100
    )
    assert value("residences-principales", 2015, commune__insee="13055") == 30500
    indicateur = Indicateur.objects.get(code="taux-vacance-logements")
    assert (indicateur.dernier_millesime, indicateur.rubrique.slug) == (2021, "parc-existant")
    assert Indicateur.objects.get(code="residences-principales").rubrique.slug == "cadrage"


def test_commune_row_wins_over_its_arrondissements(territoire, tmp_path, capsys):
    text = GOOD + "13055;Marseille;41000;33000;1600;6400;900;39000;31000;1500;6000\n"
    call_command("import_insee_logement", write(tmp_path, text))
    marseille = LogementRecensement.objects.get(commune__insee="13055", millesime=2021)
    assert marseille.logements == 41000  # not 41 000 + 40 000


def test_reimport_is_idempotent_dry_run_writes_nothing_progress_reported(territoire, tmp_path, capsys):
    path = write(tmp_path, GOOD)
    call_command("import_insee_logement", path, dry_run=True)
    assert "Simulation" in capsys.readouterr().out
    assert not LogementRecensement.objects.exists()
    calls = []
    get_importer("insee_logement").run(path, progress=lambda done, total: calls.append((done, total)))
    summary = get_importer("insee_logement").run(path)
    assert (summary.inserted, summary.updated) == (0, 4)
    assert calls[-1] == (4, 4)
    assert LogementRecensement.objects.count() == 4
    recompute()
    before = list(Valeur.objects.order_by("pk").values_list("pk", "valeur"))
    recompute()
    assert list(Valeur.objects.order_by("pk").values_list("pk", "valeur")) == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("13005;Aubagne;20000;douze;1;1;1;1;1;1;1", "ligne 6, colonne P21_RP : nombre invalide « douze »"),
        ("13005;Aubagne;20000;-3;1;1;1;1;1;1;1", "ligne 6, colonne P21_RP : nombre invalide « -3 »"),
        ("13-05;Aubagne;1;1;1;1;1;1;1;1;1", "ligne 6, colonne CODGEO : code commune invalide « 13-05 »"),
        # Before: a letter O for a zero was a commune outside the territory, skipped in silence.
        ("13O05;Aubagne;1;1;1;1;1;1;1;1;1", "ligne 6, colonne CODGEO : code commune invalide « 13O05 »"),
        (AIX.strip(), "ligne 6, colonne CODGEO : commune 13001 en double"),
        # The same commune written as a spreadsheet rewrites it is the same commune.
        (AIX.strip().replace("13001", "13001.0"), "ligne 6, colonne CODGEO : commune 13001 en double"),
    ],
    ids=["nombre", "negatif", "commune", "lettre-o", "doublon", "doublon-decimal"],
)
def test_one_bad_row_rejects_the_file(territoire, tmp_path, row, message):
    call_command("import_insee_logement", write(tmp_path, GOOD))
    before = list(LogementRecensement.objects.values_list("pk", "logements"))
    changed = GOOD.replace("80000.5;", "99999;")
    with pytest.raises(CommandError, match=message):
        call_command("import_insee_logement", write(tmp_path, changed + row + "\n", "bad.csv"))
    assert list(LogementRecensement.objects.values_list("pk", "logements")) == before


def test_a_code_a_spreadsheet_rewrote_is_read(territoire, tmp_path):
    # Before: « code commune invalide « 13001.0 » ».
    call_command("import_insee_logement", write(tmp_path, GOOD.replace("13001;", "13001.0;")), verbosity=0)
    assert LogementRecensement.objects.get(commune__insee="13001", millesime=2021).logements == 80000.5


def test_missing_columns_are_named(territoire, tmp_path):
    header = HEADER.replace(";P15_LOGVAC", "")
    with pytest.raises(CommandError, match=r"Colonne\(s\) absente\(s\) : P15_LOGVAC\."):
        call_command("import_insee_logement", write(tmp_path, header + "13001;Aix;1;1;1;1;1;1;1;1\n"))
    with pytest.raises(CommandError, match="Aucune colonne de recensement reconnue"):
        call_command("import_insee_logement", write(tmp_path, "CODGEO;POP\n13001;3\n"))
    assert not LogementRecensement.objects.exists()


# The files as INSEE publishes them (fixtures/insee_logement/).
INSEE = Path(__file__).resolve().parents[2] / "fixtures" / "insee_logement"


def test_insee_zip_with_its_meta_file_is_read_in_either_encoding(territoire):
    # Before: the zip ended in UnicodeDecodeError (and a meta_ file beside the data is no data).
    call_command("import_insee_logement", str(INSEE / "base-cc-logement-2021_csv.zip"), verbosity=0)
    call_command("import_insee_logement", str(INSEE / "base-cc-logement-2019_csv.zip"), verbosity=0)
    aix = LogementRecensement.objects.get(commune__insee="13001", millesime=2021)
    assert (aix.logements, aix.rp_locataires_hlm) == (pytest.approx(81234.56), pytest.approx(7950.3))
    vitrolles = LogementRecensement.objects.get(commune__insee="13117", millesime=2013)  # Latin-1, P13_
    assert vitrolles.residences_secondaires == pytest.approx(1010.2)


def test_arrondissements_file_gives_marseille_its_arrondissements_sum(territoire, capsys):
    call_command("import_insee_logement", str(INSEE / "base-cc-logement-2021-arrondissements.CSV"))
    assert "3 lignes lues, 2 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    marseille = LogementRecensement.objects.get(commune__insee="13055", millesime=2021)
    assert marseille.logements == pytest.approx(27103.2 + 45120.6)


def test_a_file_of_elsewhere_is_refused_and_another_format_is_named(territoire, tmp_path):
    with pytest.raises(CommandError, match=r"Aucune ligne du fichier ne concerne le territoire.*Var \(83\)"):
        call_command("import_insee_logement", str(INSEE / "base-cc-logement-2021-var_csv.zip"))
    with pytest.raises(CommandError, match="import_sitadel"):
        call_command(
            "import_insee_logement", write(tmp_path, "ANNEE;COMM;TYPE_LGT;LOG_AUT\n2023;13001;Collectif;3\n")
        )
    assert not LogementRecensement.objects.exists()
