"""The RSSI's journal: who may read it, its filters, its formula-safe CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts.enums import Role
from observatoire.connexions import journal
from observatoire.connexions.enums import EventType
from observatoire.connexions.middleware import ConnexionsMiddleware
from observatoire.connexions.models import EvenementConnexion
from tests.factories import UserFactory

URL = reverse("connexions:journal")


@pytest.fixture
def rssi():
    return UserFactory(email="rssi@exemple.fr", role=Role.RSSI)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.RSSI, 200),
        (Role.SUPERADMIN, 200),
        (Role.AGD, 403),
        (Role.DPO, 403),
        (Role.ADMIN_COMMUNAL, 403),
        (Role.AGENT_METROPOLITAIN, 403),
        (Role.CITOYEN, 403),
    ],
)
def test_only_the_rssi_and_the_superadmins_read_the_journal(client, role, status):
    client.force_login(UserFactory(role=role))
    assert client.get(URL).status_code == status
    assert client.get(URL, {"format": "csv"}).status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_profile_links_the_journal_for_the_rssi_only(client, rssi):
    client.force_login(rssi)
    assert URL in client.get(reverse("profile")).content.decode()
    client.force_login(UserFactory(role=Role.AGD))
    page = client.get(reverse("profile")).content.decode()
    assert URL not in page and reverse("connexions:mes-sessions") in page


def request_from(ip):
    return RequestFactory().get("/", REMOTE_ADDR=ip, HTTP_USER_AGENT="Navigateur")


def test_filters_by_type_account_or_author_address_and_dates(client, rssi):
    agent = UserFactory(email="agent@exemple.fr")
    journal.record(
        EventType.LOGIN_FAILED, request=request_from("192.0.2.1"), email="agent@exemple.fr", reason="x"
    )
    journal.record(EventType.ROLE_ADDED, user=UserFactory(email="autre@exemple.fr"), actor=agent, role="elu")
    old = EvenementConnexion.objects.create(
        type=EventType.LOGIN, user=agent, email=agent.email, at=timezone.now() - timedelta(days=40)
    )
    client.force_login(rssi)

    def listed(**query):
        return [(e.type, e.email) for e in client.get(URL, query).context["evenements"]]

    assert listed(type="login_failed") == [("login_failed", "agent@exemple.fr")]
    # The account or the author: the role change agent@ made for autre@ is listed too.
    assert sorted(listed(compte="agent@")) == [
        ("login", "agent@exemple.fr"),
        ("login_failed", "agent@exemple.fr"),
        ("role_added", "autre@exemple.fr"),
    ]
    assert listed(ip="192.0.2.1") == [("login_failed", "agent@exemple.fr")]
    day = timezone.localtime(old.at).date()
    assert listed(du=day.isoformat(), au=day.isoformat()) == [("login", "agent@exemple.fr")]
    assert ("login", "agent@exemple.fr") not in listed(du=(day + timedelta(days=1)).isoformat())
    # A reversed range is an error shown on the form, not an empty page without a reason.
    response = client.get(URL, {"du": day.isoformat(), "au": (day - timedelta(days=1)).isoformat()})
    assert "La date de fin précède la date de début." in response.content.decode()


def test_the_list_is_paginated_in_a_constant_number_of_queries(client, rssi, django_assert_max_num_queries):
    for n in range(120):
        journal.record(EventType.LOGIN_FAILED, email=f"x{n}@exemple.fr", reason="compte inconnu")
    client.force_login(rssi)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["evenements"]) == 100
    assert "Page 1 sur 2" in response.content.decode()


def test_the_csv_export_neutralises_formulas_and_keeps_the_filters(client, rssi):
    hostile = RequestFactory().get(
        "/", REMOTE_ADDR="192.0.2.9", HTTP_USER_AGENT='=HYPERLINK("http://x.example","clic")'
    )
    journal.record(EventType.LOGIN_FAILED, request=hostile, email="+33@exemple.fr", reason="@SUM(1+1)")
    journal.record(EventType.LOGOUT, user=UserFactory())
    client.force_login(rssi)
    response = client.get(URL, {"format": "csv", "type": "login_failed"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="journal-connexions-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["date", "événement", "compte"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["compte"] == "'+33@exemple.fr"
    assert row["navigateur"] == '\'=HYPERLINK("http://x.example","clic")'
    assert row["événement"] == "Échec de connexion" and row["adresse IP"] == "192.0.2.9"
    assert '"reason": "@SUM(1+1)"' in row["détails"]  # inside JSON text, never at a cell's start


def test_the_page_escapes_what_clients_wrote(client, rssi):
    journal.record(
        EventType.LOGIN_FAILED,
        request=RequestFactory().get("/", HTTP_USER_AGENT="<script>x</script>"),
        email="a@b.fr",
        reason="<b>",
    )
    client.force_login(rssi)
    page = client.get(URL).content.decode()
    assert "<script>x</script>" not in page and "&lt;b&gt;" in page


def test_a_view_that_journals_its_own_login_is_not_journaled_twice():
    """The OpenID Connect callback records the login with the provider's details after ``login()``."""
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore

    user = UserFactory()

    def view(request):
        login(request, user, backend="observatoire.accounts.backends.AccountBackend")
        journal.record(EventType.LOGIN, request=request, user=user, provider="proconnect", acr="eidas2")
        return HttpResponse()

    request = RequestFactory().get("/comptes/oidc/proconnect/retour/")
    request.session, request.user = SessionStore(), AnonymousUser()
    ConnexionsMiddleware(view)(request)
    assert list(EvenementConnexion.objects.values_list("type", "method", "details")) == [
        ("login", "proconnect", {"acr": "eidas2"})
    ]
