import pytest
from django.core.management import call_command

from habitat.indicateurs import recompute
from observatoire.indicateurs.classes import class_breaks

from .test_sitadel import GOOD, write


def test_equal_intervals_and_quantiles_by_hand():
    assert class_breaks([0, 10, 20, 30, 40, 100], "intervalles", 4) == [0, 25, 50, 75, 100]
    assert class_breaks([1, 2, 3, 4, 5, 6, 7, 8], "quantiles", 4) == [1, 2.75, 4.5, 6.25, 8]


def test_jenks_finds_the_natural_groups():
    assert class_breaks([1, 2, 3, 10, 11, 12, 30, 31], "jenks", 3) == [1, 3, 12, 31]


def test_breaks_cope_with_few_or_no_values():
    assert class_breaks([], "jenks", 5) == []
    assert class_breaks([None, 4.0, None], "quantiles", 5) == [4.0, 4.0]
    assert class_breaks([1, 1, 2], "quantiles", 5) == [1, 1, 2]


@pytest.fixture
def sitadel(territoire, tmp_path):
    call_command("import_sitadel", write(tmp_path, GOOD))
    recompute()


def test_geojson_joins_values_to_the_92_communes(client, sitadel):
    url = "/api/v1/indicateurs/logements-autorises/communes.geojson"
    data = client.get(url, {"millesime": 2023, "methode": "intervalles", "classes": 2}).json()
    assert data["millesime"] == 2023 and len(data["features"]) == 92
    values = {f["properties"]["insee"]: f["properties"]["valeur"] for f in data["features"]}
    assert (values["13001"], values["13055"], values["13002"]) == (150.0, 100.0, None)
    assert data["bornes"] == [100.0, 125.0, 150.0]
    assert client.get(url, {"methode": "inconnue"}).status_code == 400


def test_page_offers_methods_and_a_text_alternative(client, sitadel):
    page = client.get("/observatoires/indicateurs/logements-autorises/carte/", {"millesime": 2023})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Seuils naturels (Jenks)" in content and "Aix-en-Provence" in content
    assert "/api/v1/indicateurs/logements-autorises/communes.geojson?millesime=2023" in content
    assert client.get("/observatoires/indicateurs/inconnu/carte/").status_code == 404
