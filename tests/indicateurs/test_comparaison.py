import csv
import io

import pytest
from openpyxl import load_workbook

from observatoire.accounts.enums import Role
from tests.factories import UserFactory

URL = "/territoires/comparer/"


def compare(client, *codes):
    return client.get(URL, {"communes": list(codes)})


def test_empty_form_first(client, indicateurs):
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('name="communes"') == 5 and "erreur-comparaison" not in page


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (["13001"], "Choisissez de 2 à 5 communes différentes à comparer (1 choisie)."),
        (["13001", "13001"], "(1 choisie)"),
        (["13001", "13055", "13056", "13005", "13047", "13103"], "(6 choisies)"),
        (["13001", "75056"], "La commune « 75056 » n&#x27;est pas une commune de la métropole."),
        ([""], "Choisissez de 2 à 5 communes à comparer."),
    ],
)
def test_two_to_five_communes_or_a_french_error(client, indicateurs, codes, message):
    response = compare(client, *codes)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page and 'id="tableau-comparaison"' not in page


def test_table_gives_each_commune_and_the_metropolis(client, indicateurs):
    response = compare(client, "13055", "13001", "")
    lignes = response.context["lignes"]
    assert [ligne["indicateur"].code for ligne in lignes] == ["taux-vacance"]  # loyer is reserved
    assert (lignes[0]["millesime"], lignes[0]["valeurs"], lignes[0]["metropole"]) == (2023, [9.0, 7.5], 8.4)
    figure = response.context["figures"]["taux-vacance"]
    assert [(t["name"], t["x"], t["y"]) for t in figure["data"]] == [
        ("Marseille", ["2022", "2023"], [10.0, 9.0]),
        ("Aix-en-Provence", ["2022", "2023"], [6.0, 7.5]),
    ]
    page = response.content.decode()
    assert "Marseille et Aix-en-Provence" in page and "Loyer médian" not in page


def test_an_elu_compares_the_reserved_indicators_too(client, indicateurs):
    client.force_login(UserFactory(role=Role.ELU))
    lignes = compare(client, "13001", "13055").context["lignes"]
    loyer = next(ligne for ligne in lignes if ligne["indicateur"].code == "loyer-median")
    assert (loyer["valeurs"], loyer["metropole"]) == ([14.2, 12.5], 13.1)


def test_csv_export_of_the_comparison(client, indicateurs):
    response = client.get(URL + "comparaison.csv", {"communes": ["13001", "13056"]})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Indicateur", "Unité", "Millésime", "Aix-en-Provence", "Martigues", "Métropole", "Source"],
        ["Taux de logements vacants", "%", "2023", "7,5", "5", "8,4", "Insee, recensement"],
    ]
    assert client.get(URL + "comparaison.csv", {"communes": ["13001"]}).status_code == 404


def test_xlsx_export_of_the_comparison_keeps_numbers(client, indicateurs):
    response = client.get(URL + "comparaison.xlsx", {"communes": ["13001", "13056"]})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:6] == ["Indicateur", "Unité", "Millésime", "Aix-en-Provence", "Martigues", "Métropole"]
    assert rows[1][:6] == ["Taux de logements vacants", "%", 2023, 7.5, 5, 8.4]


def test_the_portrait_commune_comes_preselected(client, indicateurs):
    page = client.get(URL, {"avec": "13001"}).content.decode()
    assert '<option value="13001" selected>' in page and "erreur-comparaison" not in page


def test_queries_do_not_grow_with_communes(client, indicateurs, django_assert_max_num_queries):
    compare(client, "13001", "13055")
    with django_assert_max_num_queries(4):
        compare(client, "13001", "13055", "13056", "13005", "13047")
