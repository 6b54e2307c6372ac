"""A point far from the territory (the South Pole included, which Lambert-93 cannot hold) is
outside every commune: a 400 or an empty answer, never a 500."""

import json

import pytest

from observatoire.territoires.geometry import in_work_area
from observatoire.territoires.models import Commune
from signalements.models import ApiKey, Signalement

from .conftest import open311_filing

FAR_AWAY = [(1.5, -90.0), (-41.59, -89.99999999999999), (179.9, 90.0), (5.37, 60.0)]


@pytest.mark.parametrize(("lon", "lat"), FAR_AWAY)
def test_no_commune_far_away(territoire, lon, lat):
    assert not in_work_area(lon, lat)
    assert not Commune.objects.containing(lon, lat).exists()
    assert in_work_area(5.3741, 43.2951)
    assert Commune.objects.containing(5.3741, 43.2951).get().insee == "13055"


@pytest.mark.parametrize(("lon", "lat"), FAR_AWAY)
def test_api_answers_far_away_points(client, marseille_setup, lon, lat):
    point = {"lon": lon, "lat": lat}
    response = client.get("/api/v1/signalements/categories/", point)
    assert response.status_code == 400
    assert "en dehors du territoire" in response.content.decode()
    response = client.get("/api/v1/signalements/proches/", {"categorie": "proprete", **point})
    assert (response.status_code, json.loads(response.content)) == (200, [])
    response = client.post(
        "/api/v1/signalements/", {"categorie": "proprete", "description": "Sacs.", **point}
    )
    assert response.status_code == 400
    key = ApiKey.objects.create(name="Client")
    response = client.post("/open311/v2/requests.json", open311_filing(key, lat=str(lat), long=str(lon)))
    assert response.status_code == 400
    assert not Signalement.objects.exists()
