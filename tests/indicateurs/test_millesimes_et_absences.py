"""The dashboard's millésime follows the indicator; a missing key figure says why."""

import pytest

from tests.indicateurs.prix import prix  # noqa: F401  (the fixture below)

pytestmark = pytest.mark.usefixtures("prix")

URL = "/observatoires/habitat/tableau-de-bord/"


def cards(response):
    assert response.status_code == 200
    return {carte["indicateur"].code: carte for carte in response.context["cartes"]}


def test_changing_the_indicator_opens_its_latest_millesime(client):
    # The form was showing taux-vacance for 2022; the person picks the apartment prices.
    response = client.get(
        URL, {"indicateur": "prix-appartements", "millesime": "2022", "millesime_de": "taux-vacance"}
    )
    assert response.context["state"].values["millesime"] == 2024
    assert 'name="millesime_de" value="prix-appartements"' in response.content.decode()


def test_a_millesime_chosen_for_the_indicator_or_named_by_a_link_is_kept(client):
    for query in (
        {"indicateur": "prix-appartements", "millesime": "2022", "millesime_de": "prix-appartements"},
        {"indicateur": "prix-appartements", "millesime": "2022"},
    ):
        assert client.get(URL, query).context["state"].values["millesime"] == 2022


def test_a_secret_value_is_explained_not_replaced_by_an_older_year(client):
    response = client.get(URL, {"indicateur": "prix-appartements", "territoire": "13001"})
    carte = cards(response)["prix-appartements"]
    assert (carte["millesime"], carte["valeur"]) == (2024, None)  # not Aix's 2022 price
    assert carte["absence"] == "non diffusé : secret statistique"
    assert "Non diffusé : secret statistique" in response.content.decode()


def test_a_territory_without_values_is_not_concerned(client):
    response = client.get(URL, {"indicateur": "prix-appartements", "territoire": "13056"})
    assert (
        cards(response)["prix-appartements"]["absence"] == "non concerné : pas de valeur pour ce territoire"
    )


def test_a_year_not_yet_published_shows_the_latest_with_its_year(client):
    response = client.get(URL, {"indicateur": "prix-appartements", "millesime": "2024"})
    carte = cards(response)["taux-vacance"]
    assert (carte["millesime"], carte["valeur"], carte["absence"]) == (2023, 8.4, None)
    assert carte["non_publie"] == "2024 pas encore publié"
    assert "2024 pas encore publié" in response.content.decode()


def test_a_year_before_the_first_says_so(client):
    response = client.get(URL, {"indicateur": "prix-appartements", "millesime": "2021"})
    assert cards(response)["taux-vacance"]["absence"] == "pas de donnée avant 2022"


def test_the_portrait_evolution_opens_on_the_longest_series(client):
    # prix-appartements comes first but Aix has one published year of it; taux-vacance has two.
    page = client.get("/territoires/13001/").content.decode()
    assert '<option value="taux-vacance" selected>' in page
    assert '<option value="prix-appartements">' in page
