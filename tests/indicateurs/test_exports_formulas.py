"""Portrait, comparison, dashboard and API exports: formula-like text stays text, numbers stay numbers.

Indicator labels and sources are typed in the admin by the observatories' staff: a label such as
``=HYPERLINK(…)`` must not become a live formula in a visitor's spreadsheet.
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from observatoire.indicateurs.models import Indicateur

FORMULA = '=HYPERLINK("http://x")'


@pytest.fixture
def risky(indicateurs):
    Indicateur.objects.filter(code="taux-vacance").update(libelle="-2+3", source=FORMULA)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_portrait_csv(client, risky):
    rows = csv_rows(client.get("/territoires/13001/portrait.csv"))
    assert rows[1] == ["'-2+3", "%", "2023", "7,5", "8,4", "2", "3", "'" + FORMULA]


def test_comparison_csv_and_xlsx(client, risky):
    params = {"communes": ["13001", "13056"]}
    assert csv_rows(client.get("/territoires/comparer/comparaison.csv", params))[1] == [
        *("'-2+3", "%", "2023", "7,5", "5", "8,4", "'" + FORMULA)
    ]
    response = client.get("/territoires/comparer/comparaison.xlsx", params)
    cells = list(load_workbook(io.BytesIO(response.content)).active[2])
    assert [(c.value, c.data_type) for c in cells] == [
        *(("-2+3", "s"), ("%", "s"), (2023, "n"), (7.5, "n"), (5, "n"), (8.4, "n"), (FORMULA, "s"))
    ]
    assert cells[0].quotePrefix and cells[-1].quotePrefix and not cells[1].quotePrefix


def test_dashboard_csv_keeps_negative_numbers_and_xlsx_notes_are_text(client, risky):
    url = "/observatoires/habitat/tableau-de-bord/donnees"
    rows = csv_rows(client.get(url + ".csv", {"indicateur": "taux-vacance"}))
    # -1 (point: the change of a rate) is a number, not a formula
    assert rows[1] == ["1", "Marseille", "13055", "9", "10", "-1"]
    workbook = load_workbook(io.BytesIO(client.get(url + ".xlsx", {"indicateur": "taux-vacance"}).content))
    source = next(row[1] for row in workbook["À propos"].iter_rows() if row[0].value == "Source")
    assert (source.value, source.data_type, source.quotePrefix) == (FORMULA, "s", True)


def test_values_api_csv(client, risky, marseille):
    Indicateur.objects.filter(code="taux-vacance").update(niveaux=["commune"])
    marseille.nom = "@SUM(1)"
    marseille.save(update_fields=["nom"])
    text = client.get("/api/v1/indicateurs/taux-vacance/valeurs/", {"format": "csv"}).content.decode()
    assert "13055,'@SUM(1),commune,2023,9.0" in text
