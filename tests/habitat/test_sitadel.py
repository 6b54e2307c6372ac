import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from habitat.indicateurs import recompute
from habitat.indicateurs.sitadel import per_commune
from habitat.models import ConstructionAnnuelle
from habitat.sitadel import read
from observatoire.indicateurs.models import Indicateur, Valeur

HEADER = "ANNEE;COMM;TYPE_LGT;LOG_AUT;LOG_COM;SDP_AUT;SDP_COM\n"
GOOD = HEADER + (
    "2023;13001;Collectif;120;80;7200;4800\n"
    "2023;13001;Individuel pur;30;25;3600;3000\n"
    # Marseille published by arrondissement: the rows add up to the commune.
    "2023;13201;Collectif;40;10;2400;600\n"
    "2023;13208;Collectif;60;50;3600;3000\n"
    # Another département: skipped and counted, not an error.
    "2023;83137;Collectif;15;15;900;900\n"
    "2024;13001;Collectif;100;90;6000;5400\n"
)


def write(tmp_path, text, name="sitadel.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_maps_arrondissements_skips_outside_and_computes_indicators(territoire, tmp_path, capsys):
    call_command("import_sitadel", write(tmp_path, GOOD))
    assert "6 lignes lues, 4 ajoutées, 0 mises à jour, 1 hors du territoire." in capsys.readouterr().out
    marseille = ConstructionAnnuelle.objects.get(commune__insee="13055", annee=2023)
    assert (marseille.logements_autorises, marseille.logements_commences) == (100, 60)
    assert recompute() > 0
    autorises = Indicateur.objects.get(code="logements-autorises")
    assert autorises.dernier_millesime == 2024
    value = Valeur.objects.get(indicateur=autorises, commune__insee="13001", millesime=2023)
    assert value.valeur == 150  # 120 collectif + 30 individuel
    metro = Valeur.objects.get(indicateur=autorises, epci__siren="200054807", millesime=2023)
    assert metro.valeur == 250  # Aix 150 + Marseille 100; the Var row is not counted


def test_reimport_is_idempotent_and_dry_run_writes_nothing(territoire, tmp_path, capsys):
    path = write(tmp_path, GOOD)
    call_command("import_sitadel", path, dry_run=True)
    assert "Simulation" in capsys.readouterr().out
    assert not ConstructionAnnuelle.objects.exists()
    call_command("import_sitadel", path)
    call_command("import_sitadel", path)
    assert "0 ajoutées, 4 mises à jour" in capsys.readouterr().out
    assert ConstructionAnnuelle.objects.count() == 4
    recompute()
    recompute()
    assert Valeur.objects.filter(indicateur__code="logements-autorises", commune__insee="13001").count() == 2


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2023;13001;Collectif;douze;1;1;1", "ligne 8, colonne LOG_AUT : nombre invalide « douze »"),
        ("23/01;13001;Collectif;1;1;1;1", "ligne 8, colonne ANNEE : année invalide « 23/01 »"),
        ("2023;13-01;Collectif;1;1;1;1", "ligne 8, colonne COMM : code commune invalide"),
        # Before: a letter O for a zero was a commune outside the territory, skipped in silence.
        ("2023;13O01;Collectif;1;1;1;1", "ligne 8, colonne COMM : code commune invalide « 13O01 »"),
        ("2023;13001;;1;1;1;1", "ligne 8, colonne TYPE_LGT : type de logement vide"),
    ],
    ids=["nombre", "annee", "commune", "lettre-o", "type"],
)
def test_one_bad_row_rejects_the_file_and_names_line_and_column(territoire, tmp_path, row, message):
    call_command("import_sitadel", write(tmp_path, GOOD))
    before = list(ConstructionAnnuelle.objects.values_list("id", "logements_autorises"))
    changed = GOOD.replace("2024;13001;Collectif;100;", "2024;13001;Collectif;999;")
    with pytest.raises(CommandError, match=message):
        call_command("import_sitadel", write(tmp_path, changed + row + "\n", "bad.csv"))
    assert list(ConstructionAnnuelle.objects.values_list("id", "logements_autorises")) == before


def test_a_citys_own_rows_of_a_year_set_aside_its_arrondissements_of_every_type(territoire, marseille):
    text = HEADER + (
        "2023;13055;Collectif;100;50;6000;3000\n"
        "2023;13201;Individuel pur;7;7;700;700\n"  # a type the whole city's row lacks: still counted in it
        "2023;13208;Collectif;60;50;3600;3000\n"
        "2024;13201;Collectif;4;4;400;400\n"
        "2024;13208.0;Collectif;6;6;600;600\n"  # written by a spreadsheet: the same arrondissement
    )
    rows, summary = read(io.StringIO(text))
    assert {key[1:]: values["logements_autorises"] for key, values in rows.items()} == {
        (2023, "Collectif"): 100,
        (2024, "Collectif"): 10,
    }
    assert {commune for commune, _, _ in rows} == {marseille.pk}
    assert summary.details["arrondissements_ignores"] == 2


def test_missing_columns_are_named(territoire, tmp_path):
    with pytest.raises(
        CommandError, match=r"Colonne\(s\) absente\(s\) : TYPE_LGT, LOG_COM, SDP_AUT, SDP_COM"
    ):
        call_command("import_sitadel", write(tmp_path, "ANNEE;COMM;LOG_AUT\n2023;13001;3\n"))


def test_windows_1252_file_is_read_and_missing_file_is_a_clear_error(territoire, tmp_path):
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("import_sitadel", str(tmp_path / "absent.csv"))
    path = tmp_path / "latin.csv"
    path.write_bytes(HEADER.encode() + "2023;13001;Résidence;1;1;1;1\n".encode("cp1252"))
    call_command("import_sitadel", str(path))
    assert ConstructionAnnuelle.objects.get().type_logement == "Résidence"


def test_api_catalogue_and_values_in_json_and_csv(client, territoire, tmp_path):
    call_command("import_sitadel", write(tmp_path, GOOD))
    recompute()
    codes = {i["code"] for i in client.get("/api/v1/indicateurs/").json()["results"]}
    assert {"logements-autorises", "logements-commences"} <= codes
    body = client.get("/api/v1/indicateurs/logements-autorises/valeurs/", {"territoire": "13001"}).json()
    assert body["indicateur"]["unite"] == "logements"
    assert [(v["millesime"], v["valeur"]) for v in body["valeurs"]] == [(2023, 150.0), (2024, 100.0)]
    csv_response = client.get(
        "/api/v1/indicateurs/logements-autorises/valeurs/", {"millesime": 2023, "format": "csv"}
    )
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode().splitlines()
    assert lines[0] == "territoire,nom,niveau,millesime,valeur"
    assert "200054807,Métropole d'Aix-Marseille-Provence,epci,2023,250.0" in lines
    assert client.get("/api/v1/indicateurs/inconnu/valeurs/").status_code == 404
    assert (
        client.get("/api/v1/indicateurs/logements-autorises/valeurs/", {"millesime": "x"}).status_code == 400
    )


# The files as the SDES publishes them (fixtures/sitadel/, layouts of the DiDo catalogue).
SITADEL = Path(__file__).resolve().parents[2] / "fixtures" / "sitadel"


def autorises(insee, annee):
    rows = ConstructionAnnuelle.objects.filter(commune__insee=insee, annee=annee)
    return {row.type_logement: row.logements_autorises for row in rows}


def test_real_annual_file_counts_neither_the_total_nor_marseille_twice(territoire, capsys):
    # Before: « Tous Logements » was stored as a type beside the four it totals, and 13055 was
    # added to its own arrondissements 13201 and 13208.
    call_command("import_sitadel", str(SITADEL / "donnees_annuelles_communales_logements.csv"))
    out = capsys.readouterr().out
    assert "25 lignes lues, 14 ajoutées, 0 mises à jour, 2 hors du territoire." in out
    assert not ConstructionAnnuelle.objects.filter(type_logement__iexact="Tous Logements").exists()
    assert sum(autorises("13055", 2023).values()) == 3120  # the file's « Tous Logements » for 13055
    assert autorises("13001", 2023) == {
        "Individuel pur": 31,
        "Individuel groupé": 12,
        "Collectif": 214,
        "Résidence": 0,
    }
    started_2024 = ConstructionAnnuelle.objects.filter(commune__insee="13001", annee=2024)
    assert {row.logements_commences for row in started_2024} == {None}  # not known yet: empty cells
    # Unknown is not zero: the indicator has no 2024 value for Aix (the map shows « non disponible »).
    aix = started_2024[0].commune_id
    assert per_commune("logements_commences")[(aix, 2024)] is None
    assert per_commune("logements_autorises")[(aix, 2024)] > 0
    assert "Logements commencés non renseignés dans le fichier pour 2024" in out


@pytest.mark.parametrize(
    "name",
    [
        "donnees_annuelles_communales_logements_avec_descriptions.csv",
        "donnees_annuelles_communales_logements_csv.zip",
    ],
)
def test_dido_description_line_and_zip_read_like_the_plain_file(territoire, name):
    # Before: the description line was taken for the header (« Colonne(s) absente(s) »), the zip
    # ended in UnicodeDecodeError.
    call_command("import_sitadel", str(SITADEL / name), verbosity=0)
    assert sum(autorises("13055", 2023).values()) == 3120
    assert ConstructionAnnuelle.objects.count() == 14


def test_monthly_file_adds_its_months_up_into_the_year(territoire):
    call_command("import_sitadel", str(SITADEL / "donnees_mensuelles_communales_logements.csv"), verbosity=0)
    assert autorises("13001", 2024) == {"Individuel pur": 9, "Collectif": 55}
    assert autorises("13055", 2024) == {"Collectif": 60}


def test_a_total_alone_is_kept_as_not_detailed_and_a_departmental_file_is_pointed_to_the_communal(
    territoire, tmp_path
):
    call_command("import_sitadel", write(tmp_path, HEADER + "2023;13005;Tous Logements;9;8;700;600\n"))
    assert autorises("13005", 2023) == {"Non ventilé": 9}
    with pytest.raises(CommandError, match="par département, pas par commune"):
        call_command("import_sitadel", str(SITADEL / "donnees_annuelles_departements_logements.csv"))


def test_a_file_of_elsewhere_is_refused_naming_it(territoire):
    with pytest.raises(CommandError, match=r"Aucune ligne du fichier ne concerne le territoire.*Var \(83\)"):
        call_command("import_sitadel", str(SITADEL / "donnees_annuelles_communales_logements_var.csv"))
    assert not ConstructionAnnuelle.objects.exists()


def test_a_month_given_twice_is_an_error_not_a_sum(territoire, tmp_path):
    header = "ANNEE;MOIS;CODE_INSEE;TYPE_LGT;LOG_AUT;LOG_COM;SDP_AUT;SDP_COM\n"
    january = "2024;01;13001;Collectif;5;0;300;0\n"
    rows = january + "2024;02;13001;Collectif;4;0;240;0\n" + january
    with pytest.raises(
        CommandError, match="ligne 4, colonne CODE_INSEE : commune 13001, 2024-01, « Collectif » en double"
    ):
        call_command("import_sitadel", write(tmp_path, header + rows))
    assert not ConstructionAnnuelle.objects.exists()
