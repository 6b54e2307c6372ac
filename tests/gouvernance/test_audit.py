"""The download audit records the real client address and is written whatever the request looks like."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from gouvernance import acces
from gouvernance.models import Telechargement
from observatoire.accounts.enums import Role
from observatoire.territoires.models import Commune
from tests.factories import UserFactory


@pytest.fixture
def partner_client(client):
    client.force_login(UserFactory(role=Role.PARTENAIRE))
    return client


def download(client, jeu, **headers):
    return client.get(reverse("acces:telecharger", args=[jeu.slug]), **headers)


def recorded_ip():
    return Telechargement.objects.get().ip


def test_a_forged_forwarded_header_from_an_untrusted_peer_is_not_recorded(partner_client, jeu, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = download(partner_client, jeu, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert response.status_code == 302  # refused: no grant
    assert recorded_ip() == "198.51.100.7"


def test_behind_a_trusted_proxy_the_citizen_address_is_recorded(partner_client, jeu, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    download(partner_client, jeu, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert recorded_ip() == "203.0.113.5"


@pytest.mark.parametrize("trusted", [[], ["10.0.0.0/8"]], ids=["untrusted-peer", "trusted-proxy"])
@pytest.mark.parametrize("forwarded", ["pas-une-ip", "<script>", "1.2.3.4.5", "fe80::1%eth0", "\x00"])
def test_a_garbage_forwarded_header_still_writes_the_audit_row(
    partner_client, jeu, settings, trusted, forwarded
):
    settings.TRUSTED_PROXIES = trusted
    response = download(partner_client, jeu, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 302
    assert Telechargement.objects.count() == 1


def test_an_odd_request_still_writes_the_audit_row(partner_client, jeu):
    response = download(partner_client, jeu, REMOTE_ADDR="inconnu", HTTP_USER_AGENT="robot\x00" + "x" * 500)
    assert response.status_code == 302
    row = Telechargement.objects.get()
    assert row.ip is None
    assert row.user_agent.startswith("robot") and "\x00" not in row.user_agent and len(row.user_agent) <= 300


def test_the_api_channel_records_the_same_address(client, jeu, settings):
    from rest_framework.authtoken.models import Token

    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    token = Token.objects.create(user=UserFactory(role=Role.PARTENAIRE))
    url = reverse("catalogue-api:telecharger", args=[jeu.slug])
    response = client.get(
        url, HTTP_AUTHORIZATION=f"Token {token.key}", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="garbage"
    )
    assert response.status_code == 403
    assert (Telechargement.objects.get().canal, recorded_ip()) == ("api", "10.0.0.2")


def test_the_audit_export_neutralises_formulas_from_clients(partner_client, jeu):
    download(partner_client, jeu, HTTP_USER_AGENT='=HYPERLINK("http://x")')
    partner_client.force_login(UserFactory(role=Role.AGD))
    export = partner_client.get(reverse("acces:audit"), {"format": "csv"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    assert rows[0]["navigateur"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["canal"] == "Site web"  # the label, never the stored code « web »


def test_a_restricted_download_neutralises_text_and_keeps_numbers(client, jeu):
    Commune.objects.filter(insee="13001").update(nom="@SUM(1)")
    client.force_login(UserFactory(is_superuser=True))
    response = download(client, jeu)
    rows = {
        row["insee"]: row
        for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    }
    aix = rows["13001"]
    assert aix["nom"] == "'@SUM(1)"
    assert aix["population"].isdigit() and aix["geometrie"].startswith("MULTIPOLYGON(((5.")


def test_who_is_recorded_and_long_values_cut_to_their_column(rf, jeu):
    request = rf.get("/", HTTP_USER_AGENT="x" * 1000, REMOTE_ADDR="192.0.2.1")
    partner = UserFactory(role=Role.PARTENAIRE, email="p" * 240 + "@exemple.fr")
    refused = acces.Decision(False, "motif " * 100)
    entry = acces.audit(request, partner, jeu, refused, Telechargement.Canal.WEB, "geojson")
    entry.refresh_from_db()
    assert (entry.user, entry.format, entry.autorise) == (partner, "geojson", False)
    assert len(entry.user_agent) == len(entry.motif) == 300
    assert entry.user_email == partner.email[:254]
    anonymous = acces.audit(request, AnonymousUser(), jeu, refused, Telechargement.Canal.API)
    anonymous.refresh_from_db()
    assert (anonymous.user, anonymous.user_email, anonymous.format) == (None, "anonyme", "csv")
