"""The public API never shows personal data, and free text only once triaged."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser

from signalements import services
from signalements.models import Signalement

from .conftest import VIEUX_PORT

PERSONAL = ("reporter", "reporter_email", "reporter_ip", "token", "email", "ip")


@pytest.fixture
def reports(marseille_setup, categories):
    return [
        services.file_signalement(
            user=AnonymousUser(),
            categorie=categories["proprete"],
            description=f"Texte libre numéro {i}, avec l'adresse de mon voisin.",
            email=f"habitant{i}@exemple.fr",
            ip="203.0.113.7",
            **VIEUX_PORT,
        )
        for i in range(3)
    ]


def test_list_has_no_personal_data_and_hides_untriaged_text(client, reports):
    response = client.get("/api/v1/signalements/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    raw = json.dumps(body)
    assert "exemple.fr" not in raw and "203.0.113.7" not in raw
    for item in body["results"]:
        assert not set(PERSONAL) & set(item)
        assert item["description"] is None
        assert item["commune"] == "13055"
        assert abs(item["lon"] - VIEUX_PORT["lon"]) < 1e-5 and abs(item["lat"] - VIEUX_PORT["lat"]) < 1e-5


def test_triaged_text_becomes_public(client, reports):
    Signalement.objects.filter(pk=reports[0].pk).update(description_validee=True)
    detail = client.get(f"/api/v1/signalements/{reports[0].pk}/").json()
    assert detail["description"].startswith("Texte libre numéro 0")


def test_pagination_and_filters(client, reports):
    page = client.get("/api/v1/signalements/", {"page_size": 2}).json()
    assert len(page["results"]) == 2 and page["next"]
    assert client.get("/api/v1/signalements/", {"commune": "13001"}).json()["count"] == 0
    assert (
        client.get("/api/v1/signalements/", {"categorie": "proprete", "status": "nouveau"}).json()["count"]
        == 3
    )
    assert client.get("/api/v1/signalements/", {"status": "n-importe-quoi"}).status_code == 400


def test_list_query_count_does_not_grow_with_rows(client, reports, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get("/api/v1/signalements/")


def test_anonymous_list_is_cached_but_staff_get_fresh_data(
    client, reports, gestionnaire, django_assert_num_queries
):
    first = client.get("/api/v1/signalements/").json()
    with django_assert_num_queries(0):
        assert client.get("/api/v1/signalements/").json() == first
    client.force_login(gestionnaire)
    Signalement.objects.filter(pk=reports[0].pk).update(soutiens=7)
    fresh = client.get("/api/v1/signalements/").json()
    assert {r["soutiens"] for r in fresh["results"]} == {0, 7}


def test_created_response_gives_the_tracking_link_to_its_author_only(client, marseille_setup):
    response = client.post(
        "/api/v1/signalements/",
        {**VIEUX_PORT, "categorie": "proprete", "description": "Encombrants."},
        content_type="application/json",
    )
    created = response.json()
    assert created["tracking_url"] == f"/signalements/suivi/{created['token']}/"
    assert "token" not in client.get(f"/api/v1/signalements/{created['id']}/").json()


def test_bad_input_gives_json_errors(client, marseille_setup):
    response = client.post(
        "/api/v1/signalements/", {"categorie": "inconnue"}, content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"lat", "lon", "categorie", "description"} <= set(errors)
