import csv
import io
import json

from fiscalite.indicateurs import recompute
from observatoire.indicateurs.models import Indicateur
from observatoire.observatoires.enums import Visibilite

URL = "/fiscalite/tableau-de-bord/"


def _rows(response):
    return response.context["lignes"], response.context["resume"]


def test_dashboard_is_public_and_says_when_nothing_is_imported(client, territoire):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Aucune donnée fiscale" in response.content.decode()


def test_dashboard_table_of_the_year_with_median_mean_and_weighted_metropolis(client, donnees):
    recompute()
    response = client.get(URL, {"annee": 2023})
    assert response.status_code == 200
    lignes, resume = _rows(response)
    assert len(lignes) == 92
    aix = next(row for row in lignes if row[0] == "13001")
    assert aix[1:] == ["Aix-en-Provence", 30, 2, 50, 12, 1620]
    allauch = next(row for row in lignes if row[0] == "13002")
    assert allauch[4] is None  # secret TFNB rate: a dash, not 0
    assert resume[0][1:4] == ["Médiane des communes", 35, 2]
    assert resume[1][1:3] == ["Moyenne des communes", 35]
    assert resume[2][2] == 32.5  # (30 × 300 M + 40 × 100 M) / 400 M
    content = response.content.decode()
    assert "<caption" in content and "Médiane des communes" in content and "32,5" in content
    assert 'aria-sort="ascending"' in content  # sorted by commune by default


def test_sorting_by_a_column_heading_link(client, donnees):
    recompute()
    response = client.get(URL, {"annee": 2023, "tri": "taux-tfb-commune", "ordre": "desc"})
    lignes, _ = _rows(response)
    assert [row[0] for row in lignes[:2]] == ["13002", "13001"]  # 40 % then 30 %, unknown ones after
    assert all(row[2] is None for row in lignes[2:])
    content = response.content.decode()
    assert 'aria-sort="descending"' in content
    assert "tri=taux-tfb-commune&amp;ordre=asc" in content  # a second click reverses the order


def test_chart_of_rates_over_time_with_its_table_alternative(client, donnees):
    recompute()
    response = client.get(URL, {"commune": "13001", "taux": "taux-tfb-commune"})
    assert response.context["annee"] == 2023  # the latest year by default
    figures = response.context["figures"]
    names = [trace["name"] for trace in figures["taux-tfb-commune"]["data"]]
    assert names == ["Métropole (moyenne pondérée)", "Médiane des communes", "Aix-en-Provence"]
    assert figures["taux-tfb-commune"]["data"][2]["y"] == [29.0, 30.0]
    content = response.content.decode()
    script = content.split('id="figures-indicateurs" type="application/json">')[1].split("</script>")[0]
    assert set(json.loads(script)) == set(figures)
    assert 'data-select="id_taux"' in content and "Tableaux des valeurs par année" in content
    evolution = next(e for e in response.context["evolutions"] if e["code"] == "taux-tfb-commune")
    assert evolution["lignes"] == [(2022, [29.0, 29.0, 29.0]), (2023, [32.5, 35.0, 30.0])]
    assert "<script>" not in content  # CSP: figures as JSON, drawn by a static file


def test_csv_export_is_the_table_of_the_page(client, donnees):
    recompute()
    query = {"annee": 2023, "tri": "taux-teom", "ordre": "desc"}
    page = client.get(URL, query)
    response = client.get("/fiscalite/tableau-de-bord/donnees.csv", query)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    table = page.context["table"]
    assert rows[0] == table.headers
    assert len(rows) - 1 == len(table.rows) == 95

    def cell(value):
        return "" if value is None else str(value).replace(".", ",")

    assert rows[1:] == [[cell(v) for v in row] for row in table.rows]
    assert client.get("/fiscalite/tableau-de-bord/donnees.xlsx", query).status_code == 200
    assert client.get("/fiscalite/tableau-de-bord/donnees.pdf", query).status_code == 404


def test_a_restricted_indicator_leaves_the_public_table(client, donnees):
    recompute()
    Indicateur.objects.filter(code="taux-teom").update(visibilite=Visibilite.AGENTS_ELUS)
    table = client.get(URL).context["table"]
    assert "TEOM (%)" not in table.headers and len(table.headers) == 6


def test_wrong_choices_fall_back_to_the_defaults(client, donnees):
    recompute()
    response = client.get(URL, {"annee": "1900", "commune": "99999", "tri": "nimporte"})
    assert response.status_code == 200
    assert response.context["annee"] == 2023 and response.context["commune"] is None
