"""The rules around the flow: SIRET → proposed scope, the provider's second factor, the admin's
panel, a callback nobody started."""

import socket

import pytest

from observatoire.accounts.enums import Role
from observatoire.connexions.enums import EventType
from observatoire.connexions.models import EvenementConnexion
from observatoire.identite.enums import Fournisseur
from observatoire.identite.models import IdentiteFederee
from observatoire.identite.oidc import second_factor_used
from observatoire.identite.siret import commune_siren, proposed_scope
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("insee", "siren"),
    # Marseille and Aix-en-Provence as in the SIRENE register; Corsica and overseas are not ruled.
    [("13055", "211300553"), ("13001", "211300017"), ("2A004", ""), ("97101", "")],
)
def test_a_communes_siren_follows_insees_rule(insee, siren):
    assert commune_siren(insee) == siren


def test_the_siret_of_a_town_hall_proposes_its_commune(territoire, marseille):
    assert proposed_scope("21130055300016") == ("commune", marseille)


def test_the_siret_of_the_metropole_proposes_the_metropolitan_scope(territoire):
    kind, epci = proposed_scope("20005480700017")
    assert (kind, epci.siren) == ("metropole", "200054807")


@pytest.mark.parametrize("siret", ["", "123", "21750056000019", "38012986600013"])
def test_other_sirets_propose_nothing(territoire, siret):
    # Paris's town hall is not ours; 380… is a company.
    assert proposed_scope(siret) is None


@pytest.mark.parametrize(
    ("claims", "used"),
    [
        ({"amr": ["pwd"], "acr": "eidas1"}, False),
        ({"amr": ["pwd", "mfa"], "acr": "eidas1"}, True),
        ({"amr": ["pwd", "otp"]}, True),
        ({"amr": ["hwk"]}, True),
        ({"amr": "pwd totp"}, True),
        ({"acr": "eidas2"}, True),
        ({"acr": "eidas3"}, True),
        ({"acr": "https://proconnect.gouv.fr/assurance/self-asserted-2fa"}, True),
        ({"acr": "https://proconnect.gouv.fr/assurance/consistency-checked-2fa"}, True),
        ({"acr": "https://proconnect.gouv.fr/assurance/consistency-checked"}, False),
        ({}, False),
    ],
)
def test_the_provider_vouches_for_a_second_factor_only_by_amr_or_a_substantial_acr(claims, used):
    assert second_factor_used(claims) is used


def test_the_users_admin_page_shows_the_claims_and_the_proposed_commune(client, territoire):
    admin = UserFactory(email="admin@metropole.fr", is_staff=True, is_superuser=True)
    agent = UserFactory(email="agent@mairie-marseille.fr")
    IdentiteFederee.objects.create(
        user=agent,
        fournisseur=Fournisseur.PROCONNECT,
        sub="abc",
        email=agent.email,
        siret="21130055300016",
        organizational_unit="Direction de la voirie",
        claims={"siret": "21130055300016", "organizational_unit": "Direction de la voirie"},
    )
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{agent.pk}/change/").content.decode()
    assert "Direction de la voirie" in page
    assert "21130055300016" in page
    assert "Commune <strong>Marseille</strong> (13055)" in page
    assert agent.roles == []  # shown, not granted


def test_a_callback_nobody_started_is_refused_with_a_message(client, proconnect):
    response = client.get("/comptes/proconnect/retour/?code=volé&state=inventé", follow=True)
    assert response.redirect_chain[-1][0] == "/comptes/login/"
    assert "ne correspond à aucune connexion commencée sur ce navigateur" in response.content.decode()
    failure = EvenementConnexion.objects.get(type=EventType.LOGIN_FAILED)
    assert (failure.method, failure.details["reason"]) == ("proconnect", "state")


def test_an_unconfigured_provider_is_not_found(client, settings):
    settings.IDENTITE_PROVIDERS = {"proconnect": {"issuer": "https://exemple.fr", "client_id": "x"}}
    assert client.get("/comptes/proconnect/connexion/").status_code == 404
    assert client.get("/comptes/inconnu/connexion/").status_code == 404


def test_logout_without_a_provider_is_the_portals_own(client):
    user = UserFactory(role=Role.CITOYEN)
    client.force_login(user)
    response = client.post("/comptes/logout/")
    assert response.status_code == 302
    assert response.url == "/"
    assert "_auth_user_id" not in client.session
    assert EvenementConnexion.objects.get(type=EventType.LOGOUT).user == user


def test_an_unreachable_provider_sends_back_to_the_login_page_with_a_message(client, settings):
    with socket.socket() as sock:  # a loopback port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.IDENTITE_PROVIDERS = {
        "franceconnect": {"issuer": f"http://127.0.0.1:{port}", "client_id": "x", "client_secret": "y"}
    }
    response = client.get("/comptes/franceconnect/connexion/", follow=True)
    assert response.redirect_chain == [("/comptes/login/", 302)]
    assert "FranceConnect ne répond pas pour le moment" in response.content.decode()
    assert EvenementConnexion.objects.get(type=EventType.LOGIN_FAILED).details["reason"] == "unreachable"
