import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from observatoire.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
from observatoire.accounts.enums import Role
from observatoire.accounts.models import User
from tests.factories import PASSWORD, UserFactory


def login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_and_logout(client):
    user = UserFactory(role=Role.AGENT_METROPOLITAIN)
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    page = client.get(reverse("profile"))
    assert "Agent métropolitain" in page.content.decode()
    assert "Toute la métropole" in page.content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("profile")).status_code == 302


def test_wrong_password_shows_a_french_error(client):
    user = UserFactory()
    response = login(client, user.email, "mauvais")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


def test_email_login_is_case_insensitive(client):
    user = UserFactory(email="agent.aix@exemple.fr")
    assert login(client, " Agent.AIX@Exemple.fr", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_is_throttled_after_repeated_failures(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, user.email, "mauvais").status_code == 200
    locked = login(client, user.email, "mauvais")
    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert login(client, user.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_citizen_signup_requires_email_confirmation(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("signup"),
            {
                "email": "Habitant@Exemple.fr",
                "first_name": "Léa",
                "last_name": "Fontaine",
                "password1": "un-mot-de-passe-solide-42",
                "password2": "un-mot-de-passe-solide-42",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="habitant@exemple.fr")
    assert not user.is_active
    assert user.roles == [Role.CITOYEN]
    # Not active yet: login refused.
    refused = login(client, "habitant@exemple.fr", "un-mot-de-passe-solide-42")
    assert refused.status_code == 200
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/comptes/activation/\S+)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    # The link is single-use.
    client.post(reverse("logout"))
    assert client.get(link).status_code == 400


def test_signup_rejects_weak_passwords_without_saying_the_address_has_an_account(client):
    UserFactory(email="deja@exemple.fr")
    response = client.post(
        reverse("signup"),
        {"email": "DEJA@exemple.fr", "password1": "123", "password2": "124"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "existe déjà" not in content
    assert "Les deux mots de passe ne correspondent pas." in content
    assert User.objects.filter(email__iexact="deja@exemple.fr").count() == 1
    assert mail.outbox == []


def signup(client, email):
    password = "un-mot-de-passe-solide-42"
    data = {
        "email": email,
        "first_name": "Léa",
        "last_name": "Fontaine",
        "password1": password,
        "password2": password,
    }
    return client.post(reverse("signup"), data, follow=True)


def test_signup_answers_the_same_whether_the_address_has_an_account(
    client, django_capture_on_commit_callbacks
):
    """Otherwise the sign-up form tells anyone which addresses have an account (L9)."""
    existing = UserFactory(email="deja@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        new = signup(client, "nouvelle@exemple.fr")
        known = signup(client, "Deja@Exemple.fr")
    assert new.redirect_chain == known.redirect_chain == [(reverse("signup-done"), 302)]
    assert new.content == known.content
    # The existing account is untouched and its owner learns that someone tried.
    assert User.objects.filter(email__iexact="deja@exemple.fr").count() == 1
    existing.refresh_from_db()
    assert existing.is_active and existing.check_password(PASSWORD)
    notice = next(message for message in mail.outbox if message.to == ["deja@exemple.fr"])
    assert notice.subject == "Demande de création de compte avec votre adresse"
    assert "http://testserver/comptes/password_reset/" in notice.body
    assert "/comptes/activation/" not in notice.body


def test_password_reset_sends_a_working_link(client):
    user = UserFactory(email="agent@exemple.fr")
    client.post(reverse("password_reset"), {"email": "agent@exemple.fr"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/comptes/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"new_password1": "nouveau-mot-de-passe-77", "new_password2": "nouveau-mot-de-passe-77"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("nouveau-mot-de-passe-77")


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.login)
def test_every_demo_account_logs_in_with_its_role(client, territoire, account, settings):
    settings.DEBUG = True  # refused otherwise (tests/accounts/test_demo_accounts.py)
    load_demo_accounts()
    assert login(client, account.email, DEMO_PASSWORD).status_code == 302
    assert escape(account.role.label) in client.get(reverse("profile")).content.decode()


def test_demo_loader_is_idempotent(territoire):
    load_demo_accounts()
    load_demo_accounts()
    assert User.objects.filter(email__endswith="@demo.observatoire.local").count() == len(DEMO_ACCOUNTS)
    agent = User.objects.get(email="agent.aix@demo.observatoire.local")
    assert list(agent.communes.values_list("insee", flat=True)) == ["13001"]
    assert User.objects.get(email="partenaire@demo.observatoire.local").organisation.sigle == "Cerema"


def test_form_errors_are_summarised_and_tied_to_their_fields(client):
    response = client.post(
        reverse("signup"), {"email": "pas-une-adresse", "password1": "a", "password2": "b"}
    )
    content = response.content.decode()
    assert "Le formulaire contient 2 erreurs" in content
    assert 'aria-invalid="true"' in content
    assert 'aria-describedby="id_email_error"' in content


def fail_logins(client, email, times, **headers):
    return [
        client.post(reverse("login"), {"username": email, "password": "mauvais"}, **headers)
        for _ in range(times)
    ]


def test_behind_a_trusted_proxy_two_citizens_are_two_addresses(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    user = UserFactory()
    first = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.1"}
    assert fail_logins(client, user.email, settings.AXES_FAILURE_LIMIT, **first)[-1].status_code == 429
    # Another citizen behind the same load balancer logs in to the same shared account.
    second = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.2"}
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD}, **second)
    assert response.status_code == 302


def test_a_spoofed_forwarded_header_does_not_dodge_the_lock(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    user = UserFactory()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        headers = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": f"203.0.113.{attempt}"}
        last = fail_logins(client, user.email, 1, **headers)[-1]
    assert last.status_code == 429
    headers = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.200"}
    refused = client.post(reverse("login"), {"username": user.email, "password": PASSWORD}, **headers)
    assert refused.status_code == 429
