"""Every identity event the portal already had reaches the RSSI's journal, with who did it for whom."""

import json
import re

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from observatoire.accounts.enums import Role
from observatoire.connexions.models import ActiveSession, EvenementConnexion
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


def sign_in(client, email, password=PASSWORD, url="login", **extra):
    return client.post(reverse(url), {"username": email, "password": password}, **extra)


def test_a_login_is_journaled_with_address_browser_and_method_and_opens_a_session_row(client, events):
    user = UserFactory()
    response = sign_in(client, user.email, REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Firefox/140")
    assert response.status_code == 302
    event = EvenementConnexion.objects.get(type="login")
    assert (event.user, event.ip, event.user_agent, event.method) == (
        user,
        "198.51.100.4",
        "Firefox/140",
        "password",
    )
    row = ActiveSession.objects.get(user=user)
    assert row.session_key == client.session.session_key and row.ip == "198.51.100.4"


def test_a_login_through_the_admin_says_so(client, superadmin):
    sign_in(client, superadmin.email, "un-mot-de-passe-solide", url="admin:login")
    assert EvenementConnexion.objects.get(type="login").method == "admin"


def test_failures_say_why(client, settings):
    user = UserFactory(email="agent@exemple.fr")
    gone = UserFactory(email="parti@exemple.fr", is_active=False)
    sign_in(client, "inconnu@exemple.fr")
    sign_in(client, user.email, "mauvais")
    sign_in(client, gone.email)
    failures = EvenementConnexion.objects.filter(type="login_failed").order_by("pk")
    assert [(e.email, e.user, e.details["reason"]) for e in failures] == [
        ("inconnu@exemple.fr", None, "compte inconnu"),
        ("agent@exemple.fr", user, "mot de passe incorrect"),
        ("parti@exemple.fr", gone, "compte désactivé"),
    ]


def test_a_demo_account_refused_outside_development_is_a_failure_with_its_reason(client):
    UserFactory(email="agd@demo.observatoire.local")
    sign_in(client, "agd@demo.observatoire.local")
    assert (
        EvenementConnexion.objects.get().details["reason"]
        == "compte de démonstration refusé hors développement"
    )


def test_a_lockout_is_journaled_once_and_attempts_during_it_are_failures(client, settings, events):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.email, "mauvais")
    assert sign_in(client, user.email).status_code == 429  # the right password, during the lock
    lockout = EvenementConnexion.objects.get(type="lockout")
    assert (lockout.user, lockout.details["failures"]) == (user, settings.AXES_FAILURE_LIMIT)
    reasons = list(
        EvenementConnexion.objects.filter(type="login_failed")
        .order_by("pk")
        .values_list("details__reason", flat=True)
    )
    assert reasons == ["mot de passe incorrect"] * settings.AXES_FAILURE_LIMIT + [
        "compte verrouillé (trop d'échecs)"
    ]


def test_a_logout_is_journaled_and_removes_the_session_row(client):
    user = UserFactory()
    sign_in(client, user.email)
    client.post(reverse("logout"))
    assert EvenementConnexion.objects.filter(type="logout", user=user).count() == 1
    assert not ActiveSession.objects.filter(user=user).exists()


def test_a_password_change_is_journaled_and_ends_the_other_sessions(client):
    user = UserFactory()
    elsewhere = Client()
    sign_in(elsewhere, user.email)
    sign_in(client, user.email)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    event = EvenementConnexion.objects.get(type="password_changed")
    assert (event.user, event.actor) == (user, None)
    # This browser stays signed in (and its row follows the rotated key); the other one is out.
    assert client.get(reverse("profile")).status_code == 200
    assert list(ActiveSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        client.session.session_key
    ]
    assert elsewhere.get(reverse("profile")).status_code == 302


def test_a_password_reset_is_journaled_as_such(client):
    user = UserFactory()
    client.post(reverse("password_reset"), {"email": user.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line).strip()
    path = link[link.index("/comptes/") :]
    form = client.get(path, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert EvenementConnexion.objects.filter(type="password_reset", user=user).count() == 1
    assert not EvenementConnexion.objects.filter(type="password_changed").exists()


def admin_form(client, url, user, **changes):
    """The admin's change form of ``user`` as the browser would send it, with ``changes``."""
    page = client.get(url).content.decode()
    # Inlines other apps add to the user's page: their management forms, as rendered.
    management = dict(
        re.findall(r'name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)" value="(\d*)"', page)
    )
    data = {
        **management,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "fonction": user.fonction,
        "groups": [g.pk for g in user.groups.all()],
        "communes": [c.pk for c in user.communes.all()],
        "is_active": "on" if user.is_active else "",
        "date_joined_0": timezone.localtime(user.date_joined).strftime("%d/%m/%Y"),
        "date_joined_1": timezone.localtime(user.date_joined).strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_role_and_scope_changes_in_the_admin_say_who_did_it_for_whom(client, superadmin, marseille, aix):
    agent = UserFactory(email="agent@exemple.fr", role=Role.AGENT_COMMUNAL, communes=[marseille])
    client.force_login(superadmin)
    url = reverse("admin:accounts_user_change", args=[agent.pk])
    admin_communal = Group.objects.get(name=Role.ADMIN_COMMUNAL)
    form = admin_form(client, url, agent, groups=[admin_communal.pk], communes=[aix.pk])
    before = EvenementConnexion.objects.latest("pk").pk
    assert client.post(url, form).status_code == 302
    rows = EvenementConnexion.objects.filter(user=agent, pk__gt=before)
    assert sorted((e.type, e.actor_email, json.dumps(e.details, sort_keys=True)) for e in rows) == [
        ("role_added", "chef@exemple.fr", '{"role": "admin_communal"}'),
        ("role_removed", "chef@exemple.fr", '{"role": "agent_communal"}'),
        ("scope_changed", "chef@exemple.fr", '{"added": ["13001"], "removed": []}'),
        ("scope_changed", "chef@exemple.fr", '{"added": [], "removed": ["13055"]}'),
    ]


def test_roles_set_outside_a_request_have_no_actor_and_clear_is_journaled():
    agent = UserFactory(role=Role.ELU)
    Group.objects.get(name=Role.DPO).user_set.add(agent)
    agent.groups.clear()
    rows = EvenementConnexion.objects.filter(user=agent).order_by("pk")
    assert [(e.type, e.details["role"], e.actor) for e in rows] == [
        ("role_added", "elu", None),
        ("role_added", "dpo", None),
        ("role_removed", "dpo", None),
        ("role_removed", "elu", None),
    ]


def test_an_account_disabled_in_the_admin_loses_its_token_and_sessions_at_once(client, superadmin):
    agent = UserFactory(role=Role.PARTENAIRE)
    Token.objects.create(user=agent)
    browser = Client()
    sign_in(browser, agent.email)
    assert browser.get(reverse("profile")).status_code == 200
    client.force_login(superadmin)
    url = reverse("admin:accounts_user_change", args=[agent.pk])
    assert client.post(url, admin_form(client, url, agent, is_active="")).status_code == 302
    agent.refresh_from_db()
    assert not agent.is_active
    assert not Token.objects.filter(user=agent).exists()
    assert not ActiveSession.objects.filter(user=agent).exists()
    assert not Session.objects.filter(session_key=browser.session.session_key).exists()
    assert browser.get(reverse("profile")).status_code == 302
    rows = (
        EvenementConnexion.objects.filter(user=agent).exclude(type__in=["login", "role_added"]).order_by("pk")
    )
    assert [(e.type, e.actor_email) for e in rows] == [
        ("account_disabled", "chef@exemple.fr"),
        ("tokens_revoked", "chef@exemple.fr"),
        ("session_ended", "chef@exemple.fr"),
    ]
    assert client.post(url, admin_form(client, url, agent, is_active="on")).status_code == 302
    assert (
        EvenementConnexion.objects.filter(type="account_enabled", user=agent, actor=superadmin).count() == 1
    )
