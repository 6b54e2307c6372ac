import csv
import io

from observatoire.accounts.enums import Role
from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.territoires.models import Commune
from tests.factories import UserFactory

URL = "/territoires/13001/"


def test_portrait_draws_the_commune_and_the_metropolis_over_the_years(client, indicateurs):
    response = client.get(URL)
    ligne = next(row for row in response.context["lignes"] if row["indicateur"].code == "taux-vacance")
    assert (ligne["valeur"], ligne["metropole"], ligne["rang"], ligne["nombre"]) == (7.5, 8.4, 2, 3)
    figure = response.context["figures"]["taux-vacance"]
    assert [(t["name"], t["x"], t["y"]) for t in figure["data"]] == [
        ("Aix-en-Provence", [2022, 2023], [6.0, 7.5]),
        ("Métropole", [2022, 2023], [8.0, 8.4]),
    ]
    page = response.content.decode()
    assert 'id="graphique-evolution"' in page and 'id="figures-indicateurs"' in page
    assert 'href="/territoires/comparer/?avec=13001"' in page
    assert "Loyer médian" not in page


def test_portrait_csv_follows_visibility(client, indicateurs):
    content = client.get(URL + "portrait.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows == [
        [
            "Indicateur",
            "Unité",
            "Millésime",
            "Aix-en-Provence",
            "Métropole",
            "Rang",
            "Communes classées",
            "Source",
        ],
        ["Taux de logements vacants", "%", "2023", "7,5", "8,4", "2", "3", "Insee, recensement"],
    ]
    client.force_login(UserFactory(role=Role.ELU))
    content = client.get(URL + "portrait.csv").content.decode("utf-8-sig")
    assert "Loyer médian;€/m²;2023;14,2;13,1;1;2;" in content


def test_portrait_queries_do_not_grow_with_indicators(client, indicateurs, django_assert_max_num_queries):
    aix = Commune.objects.get(insee="13001")
    for n in range(10):
        extra = Indicateur.objects.ensure(
            f"extra-{n}", libelle=f"Extra {n}", unite="u", definition="d", source="s", dernier_millesime=2023
        )
        Valeur.objects.upsert([Valeur(indicateur=extra, commune=aix, millesime=2023, valeur=n)])
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert len(response.context["lignes"]) == 11
