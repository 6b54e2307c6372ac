"""Exports say what the page says: values rounded at the page's precision, numbers kept as numbers
in XLSX with a number format, the unit of every value column stated (issue 10, item 13)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from observatoire.indicateurs.models import Indicateur, Niveau
from tests.indicateurs.prix import store_values

PRIX = {"13001": {2023: 481287.80488, 2022: 450000.0}, "13055": {2023: 12.345, 2022: 10.0}}
METROPOLE = {2023: 994329.0811600001, 2022: 900000.0}


@pytest.fixture
def prix(territoire):
    indicateur = Indicateur.objects.ensure(
        "prix-moyen-test",
        observatoire="habitat",
        rubrique="marches-immobiliers",
        libelle="Prix moyen",
        unite="€",
        definition="Prix moyen d'une vente.",
        source="DVF",
        niveaux=[Niveau.COMMUNE, Niveau.EPCI],
        dernier_millesime=2023,
    )
    store_values(indicateur, territoire, {**PRIX, "epci": METROPOLE})
    return indicateur


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows()]


def test_portrait_csv_and_xlsx_round_as_the_page(client, prix):
    assert "481\u202f288" in client.get("/territoires/13001/").content.decode()
    content = client.get("/territoires/13001/portrait.csv").content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(content), delimiter=";") if r[0] == "Prix moyen")
    assert row[3:5] == ["481288", "994329"]
    cells = next(
        r for r in xlsx_rows(client.get("/territoires/13001/portrait.xlsx")) if r[0].value == "Prix moyen"
    )
    assert [c.value for c in cells[2:5]] == [2023, 481288, 994329]
    assert cells[3].number_format == "#,##0"  # 481 288 in the spreadsheet, still a number
    assert cells[2].number_format == "General"  # a year is not « 2 023 »


def test_comparison_xlsx_keeps_two_decimals_at_most(client, prix):
    response = client.get("/territoires/comparer/comparaison.xlsx", {"communes": ["13001", "13055"]})
    cells = next(r for r in xlsx_rows(response) if r[0].value == "Prix moyen")
    assert [c.value for c in cells[3:6]] == [481288, 12.35, 994329]
    assert cells[4].number_format == "#,##0.0#"


def test_dashboard_export_states_units_and_rounds(client, prix):
    url = "/observatoires/habitat/tableau-de-bord/donnees"
    response = client.get(url + ".xlsx", {"indicateur": "prix-moyen-test"})
    rows = xlsx_rows(response)
    assert [c.value for c in rows[0][3:]] == [
        "Prix moyen 2023 (€)",
        "Prix moyen 2022 (€)",
        "Évolution 2022-2023 (%)",
    ]
    aix = next(r for r in rows if r[1].value == "Aix-en-Provence")
    assert [c.value for c in aix[3:]] == [481288, 450000, 7.0]
    content = client.get(url + ".csv", {"indicateur": "prix-moyen-test"}).content.decode("utf-8-sig")
    metropole = next(r for r in csv.reader(io.StringIO(content), delimiter=";") if r[1] == "Métropole")
    assert metropole[3:] == ["994329", "900000", "10,5"]


def test_the_map_page_table_writes_values_as_the_portrait(client, indicateurs):
    # taux-vacance 2023 for Aix is 7,5 %: the map's text alternative used to round it to « 8 »
    page = client.get("/observatoires/indicateurs/taux-vacance/carte/").content.decode()
    assert '<td class="num">7,5</td>' in page
