"""Filing's hot path: the commune and its settings of the category in one query, same answers as before."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from signalements import services
from signalements.availability import offer_for
from signalements.enums import Audience, Ouverture
from signalements.models import Question, Signalement

from .conftest import VIEUX_PORT


@pytest.mark.parametrize("code", ["proprete", "signalisation", "eau", "voirie"])
@pytest.mark.parametrize("audience", [Audience.CITOYEN, Audience.AGENT])
def test_joined_settings_give_the_same_offer_as_their_own_query(marseille_setup, categories, code, audience):
    # propreté open to all, signalisation to agents, eau closed with its explanation, voirie never set up.
    categorie = categories[code]
    joined = services.commune_at(**VIEUX_PORT, categorie=categorie)
    plain = services.commune_at(**VIEUX_PORT)
    with CaptureQueriesContext(connection) as queries:
        fast = offer_for(joined, audience, categorie)
    assert len(queries) == 0
    assert fast == offer_for(plain, audience, categorie)


def test_settings_joined_for_another_category_are_not_used(marseille_setup, categories):
    joined = services.commune_at(**VIEUX_PORT, categorie=categories["proprete"])
    offer = offer_for(joined, Audience.CITOYEN, categories["eau"])
    assert (offer.ouverture, offer.is_open) == (Ouverture.FERMEE, False)
    assert offer.explication == "Le distributeur d'eau traite ces demandes."


def test_api_filing_runs_a_bounded_number_of_queries(client, marseille_setup):
    body = {**VIEUX_PORT, "categorie": "proprete", "description": "Banc de charge."}
    # The first filing also asks whether anyone wants immediate alerts (once a minute per process).
    client.post("/api/v1/signalements/", json.dumps(body), content_type="application/json")
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/v1/signalements/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    # Category, rate-limit counter, commune with its settings, questions, report, history: no Redis on
    # the way, so that a dead or frozen Redis never holds a filing (tests/signalements/test_redis_pause.py).
    assert len(statements) <= 6, statements
    assert not [sql for sql in statements if sql.startswith('SELECT "signalements_categoriecommune"')]
    assert Signalement.objects.get(pk=response.json()["id"]).commune == marseille_setup


def test_closed_category_is_still_refused_with_its_explanation(client, marseille_setup):
    body = {**VIEUX_PORT, "categorie": "eau", "description": "Fuite."}
    response = client.post("/api/v1/signalements/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.json()
    assert "Le distributeur d'eau traite ces demandes." in str(response.json())
    assert not Signalement.objects.exists()


def test_a_question_added_after_the_questions_were_read_is_asked_at_once(client, marseille_setup, categories):
    body = {**VIEUX_PORT, "categorie": "proprete", "description": "Banc de charge."}
    response = client.post("/api/v1/signalements/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    question = Question.objects.create(
        categorie=categories["proprete"], code="volume", libelle="Volume ?", obligatoire=True
    )
    response = client.post("/api/v1/signalements/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "volume" in response.json()["errors"]["reponses"]
    question.is_active = False
    question.save()
    response = client.post("/api/v1/signalements/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content


def test_the_commune_query_refuses_a_point_outside_the_territory(marseille_setup, categories):
    with pytest.raises(services.FilingError):
        services.commune_at(lon=4.36, lat=43.84, categorie=categories["proprete"])  # Nîmes


def test_a_category_closed_after_it_was_read_is_refused_at_once(client, marseille_setup, categories):
    body = {**VIEUX_PORT, "categorie": "proprete", "description": "Banc de charge."}
    response = client.post("/api/v1/signalements/", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    proprete = categories["proprete"]
    proprete.is_active = False
    proprete.save()
    response = client.post("/api/v1/signalements/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "categorie" in response.json()["errors"]
