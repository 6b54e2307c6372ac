"""The DRF API: questions with each category at a point, answers filed, errors per question, schema."""

import pytest
import yaml

from signalements.enums import Ouverture
from signalements.models import Signalement

from .conftest import VIEUX_PORT
from .questions_support import questions_fixture  # noqa: F401

URL = "/api/v1/signalements/"


@pytest.fixture
def setup(marseille_setup, categories, open_category, questions):
    open_category(marseille_setup, categories["voirie"], Ouverture.TOUS)
    open_category(marseille_setup, categories["eclairage"], Ouverture.TOUS)
    return categories


def file(client, categorie, reponses=None):
    body = {**VIEUX_PORT, "categorie": categorie, "description": "Trou dans la chaussée."}
    if reponses is not None:
        body["reponses"] = reponses
    return client.post(URL, body, content_type="application/json")


def test_categories_at_a_point_carry_their_questions(client, setup):
    body = client.get(f"{URL}categories/", {"lat": VIEUX_PORT["lat"], "lon": VIEUX_PORT["lon"]}).json()
    by_code = {offer["code"]: offer for offer in body["categories"]}
    assert by_code["mobilier"]["questions"] == []
    danger = by_code["eclairage"]["questions"][0]
    assert danger["code"] == "danger" and danger["obligatoire"] is True and danger["type"] == "choix_unique"
    assert danger["choix"][1]["bloquant"] is True and "112" in danger["choix"][1]["message_blocage"]


def test_answers_filed(client, setup):
    response = file(client, "voirie", {"taille": "moyen", "genes": ["velos"]})
    assert response.status_code == 201, response.content
    assert Signalement.objects.get().reponses == {"taille": "moyen", "genes": ["velos"]}


def test_errors_per_question(client, setup):
    response = file(client, "voirie", {"genes": ["bus"], "couleur": "rouge"})
    assert response.status_code == 400
    errors = response.json()["errors"]["reponses"]
    assert set(errors) == {"taille", "genes", "couleur"}
    assert errors["taille"] == ["Répondez à la question « Quelle taille fait le trou ou la dégradation ? »."]
    assert not Signalement.objects.exists()


def test_missing_answers_to_required_question(client, setup):
    assert file(client, "voirie").json()["errors"] == {
        "reponses": {"taille": ["Répondez à la question « Quelle taille fait le trou ou la dégradation ? »."]}
    }


def test_reponses_must_be_an_object(client, setup):
    response = file(client, "voirie", ["petit"])
    assert response.status_code == 400 and "reponses" in response.json()["errors"]


def test_blocking_answer(client, setup):
    response = file(client, "eclairage", {"danger": "oui"})
    assert response.status_code == 400
    assert "appelez le 112" in response.json()["errors"]["reponses"]["danger"][0]
    assert not Signalement.objects.exists()


def test_openapi_schema_declares_answers_and_questions(client, setup):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    components = schema["components"]["schemas"]
    create = next(c for name, c in components.items() if name.startswith("SignalementCreate"))
    assert create["properties"]["reponses"]["type"] == "object"
    offer = components["Offer"]["properties"]["questions"]
    assert offer["type"] == "array" and offer["items"]["$ref"].endswith("/Question")
    assert components["Question"]["properties"]["choix"]["items"]["$ref"].endswith("/Choix")


def test_categories_questions_cost_two_queries_whatever_the_number_of_categories(
    client, setup, django_assert_max_num_queries
):
    # Commune at the point, its settings, the categories, then questions and choices: 5 in all.
    with django_assert_max_num_queries(5):
        client.get(f"{URL}categories/", {"lat": VIEUX_PORT["lat"], "lon": VIEUX_PORT["lon"]})
