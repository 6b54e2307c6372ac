"""Per-commune activation: a closed or agents-only category cannot be used, whatever the channel."""

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from signalements import availability, services
from signalements.enums import Audience, Ouverture
from signalements.models import Categorie, Signalement
from signalements.services import FilingError
from tests.factories import UserFactory

from .conftest import AIX_CENTRE, EN_MER, VIEUX_PORT

CATEGORIES_URL = "/api/v1/signalements/categories/"
CREATE_URL = "/api/v1/signalements/"


def offers(client, point, **params):
    response = client.get(CATEGORIES_URL, {**point, **params})
    return response, {c["code"]: c for c in response.json().get("categories", [])}


def test_citizen_sees_open_agents_only_and_closed_categories(client, marseille_setup):
    response, by_code = offers(client, VIEUX_PORT)
    assert response.status_code == 200
    assert response.json()["commune"] == {"insee": "13055", "nom": "Marseille"}
    assert by_code["proprete"]["ouverte"] is True
    assert by_code["signalisation"]["ouverte"] is False
    assert "réservée aux agents" in by_code["signalisation"]["explication"]
    assert by_code["eau"]["ouverte"] is False
    assert by_code["eau"]["explication"] == "Le distributeur d'eau traite ces demandes."
    assert by_code["eau"]["canal_alternatif"] == "Appelez le numéro de votre facture d'eau."
    # No row for this commune at all: closed, with the default explanation.
    assert by_code["voirie"]["ouverte"] is False


def test_agent_of_the_commune_sees_agents_only_categories_open(client, marseille_setup, agent_marseille):
    client.force_login(agent_marseille)
    response, by_code = offers(client, VIEUX_PORT)
    assert response.json()["audience"] == "agent"
    assert by_code["signalisation"]["ouverte"] is True
    # An agent may look at it as a citizen would.
    _, as_citizen = offers(client, VIEUX_PORT, audience="citoyen")
    assert as_citizen["signalisation"]["ouverte"] is False


def test_agent_of_another_commune_files_as_a_citizen(client, marseille_setup, aix):
    client.force_login(UserFactory(role="agent_communal", communes=[aix]))
    response, by_code = offers(client, VIEUX_PORT)
    assert response.json()["audience"] == "citoyen"
    assert by_code["signalisation"]["ouverte"] is False
    assert client.get(CATEGORIES_URL, {**VIEUX_PORT, "audience": "agent"}).status_code == 403


def test_a_commune_without_settings_has_everything_closed(client, marseille_setup):
    _, by_code = offers(client, AIX_CENTRE)
    assert not any(offer["ouverte"] for offer in by_code.values())


def test_point_outside_the_territory_is_refused_with_a_clear_message(client, marseille_setup):
    response = client.get(CATEGORIES_URL, EN_MER)
    assert response.status_code == 400
    assert "en dehors du territoire" in response.json()["errors"]["location"][0]


@pytest.mark.parametrize(("code", "status"), [("proprete", 201), ("signalisation", 400), ("eau", 400)])
def test_api_creation_respects_activation_for_citizens(client, marseille_setup, code, status):
    response = client.post(
        CREATE_URL,
        {**VIEUX_PORT, "categorie": code, "description": "Problème constaté ce matin."},
        content_type="application/json",
    )
    assert response.status_code == status, response.content
    if status == 400:
        assert "n'est pas ouverte aux signalements à Marseille" in response.json()["errors"]["categorie"][0]
        assert not Signalement.objects.exists()


def test_agent_files_in_an_agents_only_category(client, marseille_setup, agent_marseille):
    client.force_login(agent_marseille)
    response = client.post(
        CREATE_URL,
        {**VIEUX_PORT, "categorie": "signalisation", "description": "Panneau stop arraché."},
        content_type="application/json",
    )
    assert response.status_code == 201
    report = Signalement.objects.get()
    assert report.filed_by_agent
    assert report.reporter == agent_marseille


@pytest.mark.parametrize(("code", "accepted"), [("proprete", True), ("signalisation", False), ("eau", False)])
def test_web_form_respects_activation(client, marseille_setup, categories, code, accepted):
    response = client.post(
        reverse("signalements:signaler"),
        {
            "lat": VIEUX_PORT["lat"],
            "lon": VIEUX_PORT["lon"],
            "categorie": categories[code].pk,
            "description": "Constaté ce matin.",
        },
    )
    if accepted:
        assert response.status_code == 302
        assert response["Location"].startswith("/signalements/suivi/")
    else:
        assert response.status_code == 200
        assert "n&#x27;est pas ouverte aux signalements à Marseille" in response.content.decode()
        assert not Signalement.objects.exists()


def test_web_form_refuses_a_point_at_sea(client, marseille_setup, categories):
    response = client.post(
        reverse("signalements:signaler"),
        {
            "lat": EN_MER["lat"],
            "lon": EN_MER["lon"],
            "categorie": categories["proprete"].pk,
            "description": "x",
        },
    )
    assert response.status_code == 200
    assert "en dehors du territoire de la métropole" in response.content.decode()
    assert not Signalement.objects.exists()


def file(categorie, user=None, point=VIEUX_PORT):
    return services.file_signalement(
        user=user or AnonymousUser(), categorie=categorie, description="Dépôt sauvage.", **point
    )


def test_an_inactive_category_is_neither_offered_nor_fileable(marseille_setup, categories, open_category):
    proprete = categories["proprete"]
    open_category(marseille_setup, proprete, Ouverture.TOUS)
    Categorie.objects.filter(pk=proprete.pk).update(is_active=False)
    proprete.refresh_from_db()
    assert proprete not in [o.categorie for o in availability.offers(marseille_setup, Audience.CITOYEN)]
    assert availability.offer_for(marseille_setup, Audience.CITOYEN, proprete) is None
    with pytest.raises(FilingError, match="Choisissez une catégorie"):
        file(proprete)
    assert not Signalement.objects.exists()


def test_a_sub_category_is_neither_offered_nor_fileable(marseille_setup, categories, open_category):
    proprete = categories["proprete"]
    sub = Categorie.objects.create(parent=proprete, code="proprete-tags", nom="Tags")
    open_category(marseille_setup, sub, Ouverture.TOUS)
    offered = [o.categorie for o in availability.offers(marseille_setup, Audience.CITOYEN)]
    assert proprete in offered and sub not in offered
    assert availability.offer_for(marseille_setup, Audience.CITOYEN, sub) is None
    with pytest.raises(FilingError, match="Choisissez une catégorie"):
        file(sub)
    assert file(proprete).categorie == proprete


@pytest.mark.parametrize(
    ("ouverture", "citoyen", "agent"),
    [(Ouverture.TOUS, True, True), (Ouverture.AGENTS, False, True), (Ouverture.FERMEE, False, False)],
)
def test_who_may_file_per_opening(ouverture, citoyen, agent):
    assert availability.is_open_for(ouverture, Audience.CITOYEN) is citoyen
    assert availability.is_open_for(ouverture, Audience.AGENT) is agent


def test_audience_is_agent_only_in_the_communes_of_the_agent(marseille_setup, aix, agent_marseille):
    assert availability.audience_of(agent_marseille, marseille_setup) == Audience.AGENT
    assert availability.audience_of(agent_marseille, aix) == Audience.CITOYEN
    assert availability.audience_of(AnonymousUser(), marseille_setup) == Audience.CITOYEN


def test_each_offer_carries_the_commune_settings(marseille_setup, categories, open_category):
    open_category(
        marseille_setup, categories["voirie"], Ouverture.TOUS, canal_alternatif="", delai_cible_jours=15
    )
    offers = {o.categorie.code: o for o in availability.offers(marseille_setup, Audience.CITOYEN)}
    assert (offers["voirie"].is_open, offers["voirie"].explication, offers["voirie"].delai_cible_jours) == (
        True,
        "",
        15,
    )
    eau = offers["eau"]
    assert (eau.is_open, eau.ouverture) == (False, Ouverture.FERMEE)
    assert eau.explication == "Le distributeur d'eau traite ces demandes."
    assert eau.canal_alternatif == "Appelez le numéro de votre facture d'eau."
    assert offers["signalisation"].explication == availability.AGENTS_ONLY_EXPLANATION
    no_row = [
        o for o in offers.values() if o.categorie.code not in {"voirie", "eau", "signalisation", "proprete"}
    ]
    assert no_row and all(
        (o.ouverture, o.is_open, o.explication, o.canal_alternatif, o.delai_cible_jours)
        == (Ouverture.FERMEE, False, availability.DEFAULT_CLOSED_EXPLANATION, "", None)
        for o in no_row
    )
    agent_offer = availability.offer_for(marseille_setup, Audience.AGENT, categories["signalisation"])
    assert (agent_offer.is_open, agent_offer.explication) == (True, "")


def test_an_offer_cannot_be_altered_once_computed(marseille_setup):
    """Offers are shared by the form, the API and the page of one request: none may reopen a category."""
    offer = availability.offers(marseille_setup, Audience.CITOYEN)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        offer.is_open = True
