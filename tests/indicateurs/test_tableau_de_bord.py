import csv
import io

import pytest
from openpyxl import load_workbook

from observatoire.accounts.enums import Role
from observatoire.indicateurs.models import Valeur
from tests.factories import UserFactory

URL = "/observatoires/habitat/tableau-de-bord/"


def text(response):
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_sees_public_indicators_only(client, indicateurs):
    page = text(client.get(URL))
    assert "Taux de logements vacants" in page
    assert "Loyer médian" not in page
    # Asking for the restricted one falls back on a visible one, with a French error.
    page = text(client.get(URL, {"indicateur": "loyer-median"}))
    assert "Loyer médian" not in page and "Sélectionnez un choix valide" in page


@pytest.mark.parametrize("role", [Role.ELU, Role.AGENT_METROPOLITAIN])
def test_metropolitan_agents_and_elus_see_restricted_indicators(client, indicateurs, role):
    client.force_login(UserFactory(role=role))
    response = client.get(URL, {"indicateur": "loyer-median"})
    page = text(response)
    assert response.context["indicateur"].code == "loyer-median"
    assert "Loyer médian" in page and "Agents et élus de la métropole" in page


def test_key_figures_give_the_metropolis_value_and_its_evolution(client, indicateurs):
    response = client.get(URL, {"indicateur": "taux-vacance"})
    carte = next(c for c in response.context["cartes"] if c["indicateur"].code == "taux-vacance")
    assert (carte["millesime"], carte["valeur"], carte["precedent_millesime"]) == (2023, 8.4, 2022)
    assert carte["evolution"] == pytest.approx(5.0)  # (8.4 - 8) / 8
    page = text(response)
    # A rate changes by percentage points (8 % → 8,4 %), not by « +5 % »
    assert "+0,4\u00a0point par rapport à 2022" in page


def test_a_commune_as_territory(client, indicateurs):
    response = client.get(URL, {"indicateur": "taux-vacance", "territoire": "13001"})
    carte = response.context["cartes"][0]
    assert (carte["valeur"], carte["metropole"]) == (7.5, 8.4)
    assert carte["evolution"] == pytest.approx(25.0)  # (7.5 - 6) / 6
    figures = response.context["figures"]
    names = [trace["name"] for trace in figures["evolution"]["data"]]
    assert names == ["Métropole", "Aix-en-Provence"]  # same scale: one axis
    assert figures["evolution"]["data"][1]["y"] == [6.0, 7.5]
    assert "ind-ligne-choisie" in text(response)


def test_table_ranks_the_communes_and_ends_with_the_metropolis(client, indicateurs):
    table = client.get(URL, {"indicateur": "taux-vacance"}).context["table"]
    assert table.headers == [
        "Rang", "Commune", "Code INSEE", "Taux de logements vacants 2023 (%)",
        "Taux de logements vacants 2022 (%)", "Évolution 2022-2023 (points)",
    ]  # fmt: skip
    assert table.rows[:3] == [
        [1, "Marseille", "13055", 9, 10, -1.0],
        [2, "Aix-en-Provence", "13001", 7.5, 6, 1.5],
        [3, "Martigues", "13056", 5, 5, 0.0],
    ]
    assert len(table.rows) == 92 + 1  # every commune, then the metropolis
    assert table.rows[-1] == [None, "Métropole", "200054807", 8.4, 8, 0.4]


def test_first_year_has_no_evolution_columns(client, indicateurs):
    table = client.get(URL, {"indicateur": "taux-vacance", "millesime": "2022"}).context["table"]
    assert table.headers[3:] == ["Taux de logements vacants 2022 (%)"]
    assert table.rows[0] == [1, "Marseille", "13055", 10.0]


def test_wrong_filters_fall_back_with_a_french_message(client, indicateurs):
    response = client.get(URL, {"indicateur": "taux-vacance", "millesime": "1850", "territoire": "99999"})
    assert response.context["state"].values["millesime"] == 2023
    assert response.context["state"].commune is None
    assert "Le formulaire contient 2 erreurs" in text(response)


def test_bottom_of_the_ranking_keeps_communes_with_a_value(client, indicateurs):
    table = client.get(URL, {"indicateur": "taux-vacance", "classement": "bas"}).context["table"]
    assert [row[1] for row in table.rows] == ["Martigues", "Aix-en-Provence", "Marseille", "Métropole"]
    figure = client.get(URL, {"classement": "bas"}).context["figures"]["classement"]
    assert figure["data"][0]["y"] == ["Martigues", "Aix-en-Provence", "Marseille"]


def test_csv_export_is_the_table_shown(client, indicateurs):
    query = {"indicateur": "taux-vacance", "classement": "haut", "territoire": "13001"}
    response = client.get(URL + "donnees.csv", query)
    assert response["Content-Type"] == "text/csv"
    assert 'filename="taux-vacance-2023-communes.csv"' in response["Content-Disposition"]
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    assert rows[0][:4] == ["Rang", "Commune", "Code INSEE", "Taux de logements vacants 2023 (%)"]
    assert rows[1:] == [
        ["1", "Marseille", "13055", "9", "10", "-1"],
        ["2", "Aix-en-Provence", "13001", "7,5", "6", "1,5"],
        ["3", "Martigues", "13056", "5", "5", "0"],
        ["", "Métropole", "200054807", "8,4", "8", "0,4"],
    ]


def test_xlsx_export_keeps_numbers_and_follows_the_year(client, indicateurs):
    response = client.get(URL + "donnees.xlsx", {"indicateur": "taux-vacance", "millesime": "2022"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Données"].iter_rows(values_only=True))
    assert rows[0] == ("Rang", "Commune", "Code INSEE", "Taux de logements vacants 2022 (%)")
    assert rows[1] == (1, "Marseille", "13055", 10)
    assert rows[-1] == (None, "Métropole", "200054807", 8)
    assert len(rows) == 1 + 92 + 1
    about = dict(workbook["À propos"].iter_rows(values_only=True))
    assert about["Source"] == "Insee, recensement" and about["Millésime"] == 2022


def test_export_refuses_a_restricted_indicator_to_the_public(client, indicateurs):
    assert client.get(URL + "donnees.csv", {"indicateur": "loyer-median"}).status_code == 404
    client.force_login(UserFactory(role=Role.ELU))
    response = client.get(URL + "donnees.csv", {"indicateur": "loyer-median"})
    assert response.status_code == 200 and "14,2" in response.content.decode()
    assert client.get(URL + "donnees.pdf").status_code == 404


def test_observatory_without_data_shows_an_empty_state(client, indicateurs):
    page = text(client.get("/observatoires/foncier/tableau-de-bord/"))
    assert "pas encore de données" in page
    assert client.get("/observatoires/foncier/tableau-de-bord/donnees.csv").status_code == 404
    assert client.get("/observatoires/inconnu/tableau-de-bord/").status_code == 404


def test_cached_figures_follow_new_values(client, indicateurs, django_capture_on_commit_callbacks):
    assert client.get(URL).context["table"].rows[0][3] == 9.0
    valeur = Valeur.objects.get(indicateur__code="taux-vacance", commune__insee="13055", millesime=2023)
    valeur.valeur = 11.0
    with django_capture_on_commit_callbacks(execute=True):
        Valeur.objects.upsert([valeur])
    assert client.get(URL).context["table"].rows[0][3] == 11.0


@pytest.mark.parametrize("role", [None, Role.ELU])
def test_queries_are_bounded(client, indicateurs, django_assert_max_num_queries, role):
    if role:
        client.force_login(UserFactory(role=role))
    # Cold cache: the same queries whatever the number of indicators, communes or years.
    with django_assert_max_num_queries(14):
        text(client.get(URL, {"territoire": "13001"}))
    with django_assert_max_num_queries(8):
        text(client.get(URL, {"territoire": "13001"}))


def test_observatory_page_shows_key_figures_and_links_the_dashboard(client, indicateurs):
    page = text(client.get("/observatoires/habitat/"))
    assert "Chiffres clés de la métropole" in page
    assert "8,4" in page and "Loyer médian" not in page
    assert 'href="/observatoires/habitat/tableau-de-bord/"' in page
