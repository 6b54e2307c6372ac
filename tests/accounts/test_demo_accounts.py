"""The demo accounts' password is public: with DEBUG off they are refused on every way in."""

import pytest
from django.core.checks import Warning, run_checks
from django.urls import reverse
from rest_framework.authtoken.models import Token

from observatoire.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
from observatoire.accounts.models import User
from tests.factories import PASSWORD, UserFactory

SUPERADMIN = "superadmin@demo.observatoire.local"
PARTENAIRE = "partenaire@demo.observatoire.local"


@pytest.fixture
def demo(territoire):
    load_demo_accounts()


def login(client, email, url="login"):
    return client.post(reverse(url), {"username": email, "password": DEMO_PASSWORD})


@pytest.mark.parametrize("debug", [False, True], ids=["prod", "dev"])
def test_login_form(client, demo, settings, debug):
    settings.DEBUG = debug
    response = login(client, PARTENAIRE)
    assert (response.status_code == 302) is debug
    assert ("_auth_user_id" in client.session) is debug
    if not debug:
        assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


@pytest.mark.parametrize("debug", [False, True], ids=["prod", "dev"])
def test_admin_login(client, demo, settings, debug):
    settings.DEBUG = debug
    login(client, SUPERADMIN, url="admin:login")
    assert (client.get("/admin/").status_code == 200) is debug


def test_an_existing_session_ends_when_debug_is_off(client, demo, settings):
    settings.DEBUG = True
    client.force_login(User.objects.get(email=SUPERADMIN))
    assert client.get("/admin/").status_code == 200
    settings.DEBUG = False
    assert client.get("/admin/").status_code == 302
    assert client.get(reverse("profile")).status_code == 302


@pytest.mark.parametrize("debug", [False, True], ids=["prod", "dev"])
def test_api_token(client, demo, settings, debug):
    settings.DEBUG = debug
    token = Token.objects.create(user=User.objects.get(email=PARTENAIRE))
    response = client.get("/api/v1/indicateurs/", HTTP_AUTHORIZATION=f"Token {token.key}")
    # 403, not 401, because the first default authenticator (session) sends no WWW-Authenticate.
    assert response.status_code == (200 if debug else 403)
    if not debug:
        assert response.json()["detail"] == "Les comptes de démonstration sont refusés sur ce portail."
    url = reverse("catalogue-api:telecharger", args=["inexistant"])
    assert (client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401) is not debug


def test_other_accounts_are_unaffected(client, settings):
    settings.DEBUG = False
    user = UserFactory(email="agent@demo.observatoire.local.exemple.fr")
    assert client.post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code == 302


def demo_warnings():
    return [m for m in run_checks(databases=["default"]) if m.id == "accounts.W001"]


def test_system_check_warns_about_demo_accounts_when_debug_is_off(demo, settings):
    settings.DEBUG = False
    [warning] = demo_warnings()
    assert isinstance(warning, Warning) and f"{len(DEMO_ACCOUNTS)} compte(s) de démonstration" in warning.msg
    settings.DEBUG = True
    assert demo_warnings() == []


def test_system_check_is_quiet_without_demo_accounts(db, settings):
    settings.DEBUG = False
    assert demo_warnings() == []
