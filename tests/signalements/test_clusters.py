import json

import pytest
from django.contrib.auth.models import AnonymousUser

from signalements import services, workflow
from signalements.enums import RejectionReason, Status

from .conftest import VIEUX_PORT

URL = "/api/v1/signalements/clusters.geojson"
METROPOLE = "4.7,43.15,5.85,43.75"


@pytest.fixture
def reports(marseille_setup, categories, gestionnaire):
    made = []
    for i in range(6):
        made.append(
            services.file_signalement(
                user=AnonymousUser(),
                categorie=categories["proprete"],
                description="Dépôt.",
                email=f"personne{i}@exemple.fr",
                lon=VIEUX_PORT["lon"] + i * 0.0003,
                lat=VIEUX_PORT["lat"],
            )
        )
    workflow.transition(made[0], Status.REJETE, user=gestionnaire, reason=RejectionReason.SPAM)
    return made


def features(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)["features"]


def test_metropolis_zoom_gives_clusters_whose_counts_add_up(client, reports):
    found = features(client, bbox=METROPOLE, zoom=10, status="ouverts")
    assert sum(f["properties"]["count"] for f in found) == 5  # the spam one is left out
    assert len(found) == 1  # within one 9 km cell at zoom 10


def test_street_zoom_gives_points_without_personal_data(client, reports):
    found = features(client, bbox="5.36,43.29,5.39,43.30", zoom=18, status="tous")
    assert len(found) == 5
    assert {f["properties"]["count"] for f in found} == {1}
    body = json.dumps(found)
    assert "exemple.fr" not in body and reports[1].token not in body


def test_filters(client, reports, gestionnaire):
    workflow.transition(reports[1], Status.TRANSMIS, user=gestionnaire)
    assert (
        sum(f["properties"]["count"] for f in features(client, bbox=METROPOLE, zoom=10, status="resolus"))
        == 0
    )
    assert features(client, bbox=METROPOLE, zoom=10, categorie="voirie") == []
    assert features(client, bbox=METROPOLE, zoom=10, commune="13001") == []
    assert features(client, bbox="5.0,43.6,5.1,43.7", zoom=12) == []


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "a,b,c,d", "zoom": 10},
        {"bbox": "5.9,43.1,5.0,43.7", "zoom": 10},
        {"bbox": METROPOLE, "zoom": 30},
        {"zoom": 10},
    ],
)
def test_bad_parameters_give_json_400(client, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["detail"] == "Paramètres invalides."


def test_cluster_query_is_served_from_cache(client, reports, django_assert_num_queries):
    features(client, bbox=METROPOLE, zoom=10)
    with django_assert_num_queries(0):
        features(client, bbox=METROPOLE, zoom=10)
