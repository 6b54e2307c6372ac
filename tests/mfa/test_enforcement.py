"""No privileged role reaches a page, the admin or a session API call before its second factor."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from observatoire.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
from observatoire.accounts.enums import Role
from observatoire.connexions.models import EvenementConnexion
from observatoire.mfa import services
from observatoire.mfa.demo import load_demo_second_factors
from observatoire.mfa.policy import PRIVILEGED_ROLES, is_verified, mark_verified, requires_second_factor
from tests.factories import PASSWORD, UserFactory

from .helpers import code_of, enrolled, password_login

pytestmark = pytest.mark.usefixtures("second_factor_enforced")

PRIVILEGED_DEMO = [account for account in DEMO_ACCOUNTS if account.role in PRIVILEGED_ROLES]
CHALLENGE = reverse("mfa:verification")
# A page of each kind: the portal, the admin, a session API call, an htmx fragment.
GUARDED = ["/comptes/profil/", "/admin/", "/api/v1/indicateurs/", "/gouvernance/"]


@pytest.fixture
def demo(territoire, settings):
    settings.DEBUG = True
    accounts = load_demo_accounts()
    load_demo_second_factors(accounts)
    return {user.email: user for _, user in accounts}


def test_every_privileged_role_is_a_demo_account_with_the_demo_authenticator(demo):
    assert {account.role for account in PRIVILEGED_DEMO} == PRIVILEGED_ROLES
    for account in DEMO_ACCOUNTS:
        user = demo[account.email]
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists() is (
            account.role in PRIVILEGED_ROLES
        )


@pytest.mark.parametrize("account", PRIVILEGED_DEMO, ids=lambda a: a.login)
@pytest.mark.parametrize("form", ["login", "admin:login"], ids=["portal-form", "admin-form"])
def test_privileged_demo_role_reaches_nothing_before_its_code(client, demo, account, form):
    user = demo[account.email]
    response = password_login(client, account.email, DEMO_PASSWORD, url=form)
    if form == "admin:login" and not user.is_staff:
        assert "_auth_user_id" not in client.session  # the admin's form takes staff only
        return
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not is_verified(client)

    for url in GUARDED:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 403
            assert response.json()["etape"] == "verification"
            assert response.json()["url"].startswith(CHALLENGE)
        else:
            assert response.status_code == 302, url
            assert response["Location"] == f"{CHALLENGE}?next={url.replace('/', '%2F')}"
    htmx = client.get("/comptes/profil/", headers={"HX-Request": "true"})
    assert htmx.status_code == 403 and htmx["HX-Redirect"].startswith(CHALLENGE)
    # The admin's own login form does not let the half-open session in either.
    assert client.get(reverse("admin:login")).status_code == 302
    assert client.post(reverse("admin:index")).status_code == 302

    device = TOTPDevice.objects.get(user=user)
    response = client.post(CHALLENGE, {"code": code_of(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session["mfa_verified"]["method"] == "totp"
    assert client.get("/comptes/profil/").status_code == 200
    assert client.get("/api/v1/indicateurs/").status_code == 200
    admin = client.get("/admin/")
    assert admin.status_code == (200 if user.is_staff else 302)
    if not user.is_staff:
        assert not admin["Location"].startswith(CHALLENGE)
    assert EvenementConnexion.objects.filter(user=user, type="mfa_success", method="totp").count() == 1


def test_privileged_user_without_authenticator_is_sent_to_enrolment(client, territoire):
    user = UserFactory(role=Role.DPO)
    password_login(client, user.email, PASSWORD)
    response = client.get("/gouvernance/")
    assert response["Location"].startswith(reverse("mfa:enrolement"))
    assert client.get(CHALLENGE)["Location"].startswith(reverse("mfa:enrolement"))
    api = client.get("/api/v1/indicateurs/")
    assert api.status_code == 403 and api.json()["etape"] == "enrolement"


def test_superuser_without_role_is_challenged_too(client, territoire):
    user = UserFactory(is_superuser=True, is_staff=True)
    device = enrolled(user)
    password_login(client, user.email, PASSWORD, url="admin:login")
    assert client.get("/admin/")["Location"].startswith(CHALLENGE)
    client.post(CHALLENGE, {"code": code_of(device)})
    assert client.get("/admin/").status_code == 200


def test_logout_stays_possible(client, territoire):
    user = UserFactory(role=Role.RSSI)
    enrolled(user)
    password_login(client, user.email, PASSWORD)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_api_tokens_are_not_sessions(client, territoire):
    user = UserFactory(role=Role.AGD)
    enrolled(user)
    token = Token.objects.create(user=user)
    response = client.get("/api/v1/indicateurs/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_the_middleware_and_the_policy_agree_on_every_role(territoire, role):
    user = UserFactory(role=role)
    assert (services.next_step(user) == services.ENROLMENT) is requires_second_factor(user)
    assert requires_second_factor(user) is (role in PRIVILEGED_ROLES)


def test_a_non_privileged_user_is_challenged_only_once_they_enabled_it(client, territoire):
    user = UserFactory(role=Role.AGENT_METROPOLITAIN)
    password_login(client, user.email, PASSWORD)
    assert client.get("/comptes/profil/").status_code == 200
    assert client.get(CHALLENGE)["Location"] == reverse("profile")
    client.post(reverse("logout"))

    device = enrolled(user)
    password_login(client, user.email, PASSWORD)
    assert client.get("/comptes/profil/")["Location"].startswith(CHALLENGE)
    client.post(CHALLENGE, {"code": code_of(device)})
    assert client.get("/comptes/profil/").status_code == 200


def test_enrolment_cannot_replace_an_authenticator_before_the_challenge(client, territoire):
    """Else a stolen password would be enough to register the thief's phone."""
    user = UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS)
    enrolled(user)
    password_login(client, user.email, PASSWORD)
    response = client.get(reverse("mfa:enrolement"))
    assert response["Location"].startswith(CHALLENGE)
    pending = TOTPDevice.objects.create(user=user, name="voleur", confirmed=False)
    client.post(reverse("mfa:enrolement"), {"code": code_of(pending)})
    assert not TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert not is_verified(client)


def session_holder(session):
    return type("Request", (), {"session": session})()


def test_an_admin_removes_a_lost_authenticator_without_seeing_its_secret(client, territoire):
    user = UserFactory(role=Role.DPO)
    device = enrolled(user)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    session = client.session
    mark_verified(session_holder(session), "totp")
    session.save()
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.content.decode()
    response = client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    event = EvenementConnexion.objects.get(user=user, type="mfa_removed")
    assert event.actor == admin
    # The next login asks for a new enrolment.
    client.logout()
    password_login(client, user.email, PASSWORD)
    assert client.get("/comptes/profil/")["Location"].startswith(reverse("mfa:enrolement"))


@pytest.mark.parametrize(
    "role, verified, added",
    [(Role.RSSI, True, 0), (Role.CITOYEN, False, 1), (Role.AGENT_COMMUNAL, False, 1)],
    ids=["verified-session", "citizen", "agent"],
)
def test_what_the_middleware_costs_per_request(client, territoire, settings, role, verified, added):
    """Nothing once the session is verified; one query (role or device) for the others."""
    user = UserFactory(role=role)
    client.force_login(user)
    if verified:
        session = client.session
        mark_verified(session_holder(session), "totp")
        session.save()

    def queries():
        # A new client loads the middleware as set now, with the same session.
        browser = Client()
        browser.cookies = client.cookies
        browser.get("/comptes/profil/")  # warm
        with CaptureQueriesContext(connection) as captured:
            assert browser.get("/comptes/profil/").status_code == 200
        return len(captured)

    with_it = queries()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith("observatoire.mfa.")]
    assert with_it - queries() == added
