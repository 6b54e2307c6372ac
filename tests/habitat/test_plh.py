from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from habitat.indicateurs import recompute
from habitat.management.commands.import_plh import Command as ImportPlh
from habitat.models import ObjectifPlh
from observatoire.indicateurs.models import Indicateur, Valeur
from tests.habitat.test_sitadel import GOOD as SITADEL

HEADER = "code_insee;commune;annee_debut;annee_fin;objectif_logements_par_an\n"
GOOD = HEADER + (
    "13001;Aix-en-Provence;2023;2028;200\n"
    "13001;Aix-en-Provence;2017;2022;180\n"
    "13055;Marseille;2023;2028;4000\n"
    "13005;Aubagne;2023;2028;250,5\n"
)


def write(tmp_path, text, name="plh.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def rate(millesime, **territory):
    return Valeur.objects.get(indicateur__code="taux-atteinte-plh", millesime=millesime, **territory).valeur


@pytest.fixture
def imported(territoire, tmp_path):
    call_command("import_sitadel", write(tmp_path, SITADEL, "sitadel.csv"), verbosity=0)
    call_command("import_plh", write(tmp_path, GOOD), verbosity=0)
    recompute()


def test_rate_is_authorised_dwellings_over_the_yearly_objective(imported):
    # Sitadel: Aix 150 in 2023 and 100 in 2024, Marseille 100 in 2023 (its arrondissements), 0 in 2024.
    assert rate(2023, commune__insee="13001") == pytest.approx(75.0)
    assert rate(2024, commune__insee="13001") == pytest.approx(50.0)
    assert rate(2023, commune__insee="13055") == pytest.approx(2.5)
    assert rate(2024, commune__insee="13055") == 0
    assert rate(2023, commune__insee="13005") == 0  # an objective and nothing authorised
    assert rate(2023, epci__siren="200054807") == pytest.approx(250 / (200 + 4000 + 250.5) * 100)
    # No Sitadel year before 2023 nor after 2024: no rate there, the objective alone.
    assert set(
        Valeur.objects.filter(indicateur__code="taux-atteinte-plh").values_list("millesime", flat=True)
    ) == {2023, 2024}
    objectif = Valeur.objects.filter(indicateur__code="objectif-plh")
    assert objectif.get(commune__insee="13001", millesime=2020).valeur == 180
    assert objectif.get(epci__siren="200054807", millesime=2028).valeur == pytest.approx(4450.5)
    indicateur = Indicateur.objects.get(code="taux-atteinte-plh")
    assert (indicateur.rubrique.slug, indicateur.dernier_millesime, indicateur.unite) == (
        "nouvelle-offre",
        2024,
        "%",
    )


def test_reimport_is_idempotent_and_a_corrected_period_replaces_the_old_one(imported, tmp_path, capsys):
    call_command("import_plh", write(tmp_path, GOOD))
    assert "4 lignes lues, 0 ajoutées, 4 mises à jour" in capsys.readouterr().out
    assert ObjectifPlh.objects.count() == 4
    corrected = GOOD.replace("13001;Aix-en-Provence;2023;2028;200", "13001;Aix-en-Provence;2024;2029;300")
    call_command("import_plh", write(tmp_path, corrected, "corrige.csv"))
    periods = set(ObjectifPlh.objects.filter(commune__insee="13001").values_list("annee_debut", "annee_fin"))
    assert periods == {(2017, 2022), (2024, 2029)}
    recompute()
    assert not Valeur.objects.filter(
        indicateur__code="taux-atteinte-plh", commune__insee="13001", millesime=2023
    )
    assert rate(2024, commune__insee="13001") == pytest.approx(100 / 3)


def test_dry_run_writes_nothing(territoire, tmp_path, capsys):
    call_command("import_plh", write(tmp_path, GOOD), dry_run=True)
    out = capsys.readouterr().out
    assert out.startswith("Simulation") and ": 4 lignes lues, 4 ajoutées" in out
    assert not ObjectifPlh.objects.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "83137;Toulon;2023;2028;900",
            "ligne 6, colonne code_insee : commune « 83137 » absente du territoire",
        ),
        # Before: « commune « 13O05 » absente du territoire », as if it were a commune elsewhere.
        ("13O05;Aubagne;2023;2028;10", "ligne 6, colonne code_insee : code commune invalide « 13O05 »"),
        ("13005;Aubagne;23;2028;10", "ligne 6, colonne annee_debut : année invalide « 23 »"),
        ("13005;Aubagne;2030;2028;10", "ligne 6, colonne annee_fin : la période finit avant de commencer"),
        ("13005;Aubagne;2023;2028;beaucoup", "ligne 6, colonne objectif_logements_par_an : nombre invalide"),
        ("13005;Aubagne;2023;2028;", "ligne 6, colonne objectif_logements_par_an : nombre invalide"),
        (
            "13001;Aix;2020;2024;10",
            "ligne 6, colonne annee_debut : période qui chevauche celle de la ligne 2",
        ),
    ],
    ids=["commune", "lettre-o", "annee", "periode", "objectif", "vide", "chevauchement"],
)
def test_one_bad_row_rejects_the_file(territoire, tmp_path, row, message):
    call_command("import_plh", write(tmp_path, GOOD), verbosity=0)
    before = list(ObjectifPlh.objects.values_list("pk", "objectif_logements_par_an"))
    with pytest.raises(CommandError, match=message):
        call_command("import_plh", write(tmp_path, GOOD.replace(";200\n", ";999\n") + row + "\n", "bad.csv"))
    assert list(ObjectifPlh.objects.values_list("pk", "objectif_logements_par_an")) == before


def test_missing_column_names_the_format_which_the_command_help_documents(territoire, tmp_path):
    with pytest.raises(
        CommandError, match=r"Colonne\(s\) absente\(s\) : objectif_logements_par_an\. Colonnes"
    ):
        call_command(
            "import_plh", write(tmp_path, "code_insee;commune;annee_debut;annee_fin\n13001;Aix;2023;2028\n")
        )
    assert "code_insee;commune;annee_debut;annee_fin;objectif_logements_par_an" in ImportPlh.help


PLH = Path(__file__).resolve().parents[2] / "fixtures" / "plh"


@pytest.mark.parametrize(
    "name", ["objectifs_plh_excel_csv_point_virgule.csv", "objectifs_plh_excel_csv_utf8.csv"]
)
def test_both_excel_csv_exports_are_read(territoire, name):
    call_command("import_plh", str(PLH / name), verbosity=0)
    aubagne = ObjectifPlh.objects.get(commune__insee="13005")
    assert aubagne.objectif_logements_par_an == 212.5
    assert ObjectifPlh.objects.count() == 5


def test_another_territorys_plh_is_refused_naming_it(territoire):
    # Before: one « absente du territoire » error per line, not saying whose PLH it was.
    with pytest.raises(CommandError, match=r"Aucune ligne du fichier ne concerne le territoire.*Var \(83\)"):
        call_command("import_plh", str(PLH / "objectifs_plh_toulon.csv"))
    assert not ObjectifPlh.objects.exists()


def test_a_code_a_spreadsheet_rewrote_is_read(territoire, tmp_path):
    # Before: « commune « 13005.0 » absente du territoire ».
    call_command("import_plh", write(tmp_path, GOOD.replace("13005;", "13005.0;")), verbosity=0)
    assert ObjectifPlh.objects.get(commune__insee="13005").objectif_logements_par_an == 250.5
