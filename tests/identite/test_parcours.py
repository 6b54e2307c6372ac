"""ProConnect and FranceConnect end to end: Chromium, the portal and a real OpenID Provider."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from observatoire.accounts.models import User
from observatoire.connexions.enums import EventType
from observatoire.connexions.models import EvenementConnexion
from observatoire.identite.models import IdentiteFederee
from tests.browser.test_accessibility import violations
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def connect(page, base, label, email, mfa=False, start="/comptes/login/", **fields):
    page.goto(base + start)
    page.get_by_role("link", name=f"S'identifier avec {label}").click()
    page.get_by_label("email", exact=True).fill(email)
    for name, value in fields.items():
        page.get_by_label(name, exact=True).fill(value)
    if mfa:
        page.get_by_label("second facteur utilisé").check()
    page.get_by_role("button", name="Valider").click()


def events(kind):
    return EvenementConnexion.objects.filter(type=kind)


def test_first_proconnect_login_links_the_account_with_the_same_email(page, live_server, proconnect):
    agent = UserFactory(email="nadia.benali@mairie-aix.fr", role=Role.AGENT_COMMUNAL)
    connect(
        page,
        live_server.url,
        "ProConnect",
        "Nadia.Benali@mairie-aix.fr",
        given_name="Nadia",
        usual_name="Benali",
        siret="21130001700011",
        organizational_unit="Services techniques",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert User.objects.count() == 1
    identite = IdentiteFederee.objects.get()
    assert identite.user == agent
    assert (identite.fournisseur, identite.siret, identite.organizational_unit) == (
        "proconnect",
        "21130001700011",
        "Services techniques",
    )
    assert identite.claims["amr"] == ["pwd"]
    assert events(EventType.OIDC_LINKED).get().user == agent
    login = events(EventType.LOGIN).get()
    assert (login.user, login.method, login.details["acr"]) == (agent, "proconnect", "eidas1")
    agent.refresh_from_db()
    assert agent.roles == [Role.AGENT_COMMUNAL]  # nothing granted or removed by the claims

    # The second login finds the identity by its sub, not by e-mail.
    page.get_by_role("button", name="Déconnexion").click()
    expect(
        page.get_by_text("Vous êtes déconnecté du portail et de votre fournisseur d'identité.")
    ).to_be_visible()
    connect(page, live_server.url, "ProConnect", "nadia.benali@mairie-aix.fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    assert IdentiteFederee.objects.count() == 1
    assert events(EventType.LOGIN).count() == 2


def test_a_new_proconnect_agent_gets_an_account_without_any_role_or_password(page, live_server, proconnect):
    connect(
        page,
        live_server.url,
        "ProConnect",
        "paul.durand@mairie-marseille.fr",
        given_name="Paul",
        usual_name="Durand",
        siret="21130055300016",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    user = User.objects.get(email="paul.durand@mairie-marseille.fr")
    assert (user.first_name, user.last_name) == ("Paul", "Durand")
    assert user.roles == []
    assert not user.has_usable_password()
    assert user.identites.get().siret == "21130055300016"
    assert events(EventType.OIDC_CREATED).get().user == user


def test_a_franceconnect_citizen_gets_the_citizen_role_and_no_password(page, live_server, franceconnect):
    connect(
        page,
        live_server.url,
        "FranceConnect",
        "camille.martin@exemple.fr",
        start="/comptes/login/?next=/signalements/",
        given_name="Camille",
        family_name="Martin",
        birthdate="1990-04-01",
    )
    expect(page).to_have_url(live_server.url + "/signalements/")  # back where the login was asked
    page.goto(live_server.url + "/comptes/profil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    user = User.objects.get(email="camille.martin@exemple.fr")
    assert user.roles == [Role.CITOYEN]
    assert not user.has_usable_password()
    assert user.identites.get().claims["family_name"] == "Martin"
    assert "birthdate" not in user.identites.get().claims  # kept claims are minimised


def test_franceconnect_does_not_open_an_agents_account(page, live_server, franceconnect):
    UserFactory(email="agent@exemple.fr", role=Role.AGENT_METROPOLITAIN)
    connect(page, live_server.url, "FranceConnect", "agent@exemple.fr", family_name="Roux")
    expect(page.get_by_text("connectez-vous avec ProConnect ou avec votre mot de passe")).to_be_visible()
    assert not IdentiteFederee.objects.exists()
    assert events(EventType.LOGIN_FAILED).get().details["reason"] == "not_citizen"


def test_a_disabled_account_is_refused(page, live_server, proconnect):
    UserFactory(email="parti@metropole.fr", role=Role.AGENT_METROPOLITAIN, is_active=False)
    connect(page, live_server.url, "ProConnect", "parti@metropole.fr")
    expect(page.get_by_text("Ce compte est désactivé")).to_be_visible()
    assert not IdentiteFederee.objects.exists()
    failure = events(EventType.LOGIN_FAILED).get()
    assert (failure.email, failure.details["reason"]) == ("parti@metropole.fr", "inactive")


def test_the_login_page_with_both_buttons_passes_axe(audit_page, live_server, op):
    audit_page.goto(live_server.url + "/comptes/login/")
    expect(audit_page.get_by_role("link", name="S'identifier avec FranceConnect")).to_be_visible()
    assert violations(audit_page) == []


def test_logout_ends_the_providers_session_too(page, live_server, proconnect):
    connect(page, live_server.url, "ProConnect", "julie@metropole.fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    page.get_by_role("button", name="Déconnexion").click()
    expect(
        page.get_by_text("Vous êtes déconnecté du portail et de votre fournisseur d'identité.")
    ).to_be_visible()
    assert page.url == live_server.url + "/"
    assert events(EventType.LOGOUT).get().method == "proconnect"
    # The provider forgot the session: logging in again asks who you are.
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_role("link", name="S'identifier avec ProConnect").click()
    expect(page.get_by_role("button", name="Valider")).to_be_visible()


def test_the_buttons_show_only_for_configured_providers(page, live_server, op, settings):
    settings.IDENTITE_PROVIDERS = {"proconnect": op["proconnect"].settings(), "franceconnect": {}}
    page.goto(live_server.url + "/comptes/login/")
    expect(page.get_by_role("link", name="S'identifier avec ProConnect")).to_be_visible()
    expect(page.get_by_role("link", name="S'identifier avec FranceConnect")).to_have_count(0)
    settings.IDENTITE_PROVIDERS = {}
    page.reload()
    expect(page.get_by_role("link", name="S'identifier avec ProConnect")).to_have_count(0)


@pytest.mark.parametrize(
    ("faults", "reason", "message"),
    [
        ({"tamper_id_token": True}, "signature", "La signature de la réponse de ProConnect est invalide"),
        ({"wrong_nonce": True}, "nonce", "nonce différent"),
        ({"clock_offset": -7200}, "expired", "La réponse de ProConnect a expiré"),
        ({"clock_offset": 1800}, "future", "datée dans le futur"),
    ],
)
def test_a_bad_id_token_is_refused_and_creates_nothing(
    page, live_server, proconnect, faults, reason, message
):
    proconnect.faults(**faults)
    connect(page, live_server.url, "ProConnect", "intrus@exemple.fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    expect(page.get_by_text(message)).to_be_visible()
    assert not User.objects.exists()
    assert not IdentiteFederee.objects.exists()
    failure = events(EventType.LOGIN_FAILED).get()
    assert (failure.method, failure.details["reason"]) == ("proconnect", reason)
    assert not events(EventType.LOGIN).exists()


def test_a_clock_skew_within_the_leeway_is_accepted(page, live_server, proconnect):
    proconnect.faults(clock_offset=60)
    connect(page, live_server.url, "ProConnect", "en.avance@exemple.fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")


def test_cancelling_at_the_provider_says_so(page, live_server, proconnect):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_role("link", name="S'identifier avec ProConnect").click()
    page.get_by_role("button", name="Annuler").click()
    expect(page.get_by_text("Vous avez annulé la connexion avec ProConnect")).to_be_visible()
    assert events(EventType.LOGIN_FAILED).get().details["reason"] == "access_denied"
    assert not User.objects.exists()


def test_a_provider_answering_for_another_issuer_is_refused(page, live_server, proconnect, settings):
    # The portal expects « localhost »; the provider found there says it is « 127.0.0.1 ».
    settings.IDENTITE_PROVIDERS = {
        "proconnect": proconnect.settings(issuer=proconnect.issuer.replace("127.0.0.1", "localhost"))
    }
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_role("link", name="S'identifier avec ProConnect").click()
    expect(page.get_by_text("émetteur inconnu")).to_be_visible()
    assert events(EventType.LOGIN_FAILED).get().details["reason"] == "issuer"


@pytest.mark.parametrize("with_second_factor", [False, True])
def test_a_privileged_agent_is_challenged_unless_proconnect_saw_a_second_factor(
    page, live_server, proconnect, second_factor_enforced, with_second_factor
):
    agd = UserFactory(email="agd@metropole.fr", role=Role.AGD)
    connect(page, live_server.url, "ProConnect", "agd@metropole.fr", mfa=with_second_factor)
    if with_second_factor:
        expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
        assert events(EventType.LOGIN).get().details["second_factor_from_provider"] is True
    else:
        expect(page).to_have_url(re.compile(re.escape(live_server.url + "/comptes/second-facteur/")))
        page.goto(live_server.url + "/comptes/profil/")
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Mon compte")
    assert Group.objects.get(name=Role.AGD).user_set.get() == agd


def test_userinfo_in_plain_json_is_read_too(page, live_server, proconnect_json_userinfo):
    connect(
        page, live_server.url, "ProConnect", "json@exemple.fr", usual_name="Lefebvre", siret="21130001700011"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    identite = IdentiteFederee.objects.get()
    assert (identite.user.last_name, identite.siret) == ("Lefebvre", "21130001700011")
