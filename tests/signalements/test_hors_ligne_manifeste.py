"""The installable filing page: its manifest, its service worker's headers and configuration, the
session a replay asks for, and the JSON filing endpoint a replay posts to (once per key)."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from signalements.models import Signalement

from .conftest import VIEUX_PORT, image_file
from .hors_ligne_outils import sw_bundle  # noqa: F401 - fixture

ENVOI = "/signalements/hors-ligne/envoi/"


def test_the_manifest_describes_an_installable_french_app(client, categories):
    page = client.get("/signalements/nouveau/")
    assert b'<link rel="manifest" href="/signalements/hors-ligne/manifest.webmanifest">' in page.content

    response = client.get("/signalements/hors-ligne/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == "fr"
    assert manifest["name"].startswith("Signaler un problème")
    assert manifest["short_name"] == "Signaler"
    assert manifest["start_url"] == manifest["scope"] == manifest["id"] == "/signalements/nouveau/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1d3c78"  # the portal's --blue
    sizes = {icon["sizes"]: icon for icon in manifest["icons"]}
    assert {"any", "192x192", "512x512"} <= set(sizes)
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200, icon["src"]
        body = b"".join(served.streaming_content) if served.streaming else served.content
        if icon["type"] == "image/png":
            assert body.startswith(b"\x89PNG")
            width, height = int.from_bytes(body[16:20]), int.from_bytes(body[20:24])
            assert f"{width}x{height}" == icon["sizes"]


def test_the_service_worker_is_served_for_the_filing_page_with_its_precache(client, sw_bundle):  # noqa: F811
    response = client.get("/signalements/hors-ligne/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/signalements/nouveau/"
    assert response["Cache-Control"] == "no-cache"
    # The strict policy applies to it too (no inline code, same-origin fetches).
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    first_line, bundle = body.split("\n", 1)
    config = json.loads(first_line.removeprefix("self.__SIGNALER_HORS_LIGNE = ").removesuffix(";"))
    urls = {entry["url"]: entry["revision"] for entry in config["precache"]}
    shell = ("css/portal.css", "vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "js/signaler.js")
    for path in shell:
        assert f"/static/{path}" in urls
    # Whatever another part adds to the page's template is precached too.
    template = (settings.BASE_DIR / "templates" / "signalements" / "signaler.html").read_text()
    for path in re.findall(r"{% static '([^']+)' %}", template):
        assert f"/static/{path}" in urls
    assert all(len(revision) == 16 for revision in urls.values())
    assert config["page"] == "/signalements/nouveau/"
    assert config["categories"] == reverse("signalements-api:categories")
    # Workbox is bundled from npm: nothing is loaded from elsewhere (workbox-sw would use a CDN).
    assert "importScripts" not in bundle and "googleapis" not in bundle and "precache-v2" in bundle


def test_the_session_gives_a_fresh_token_and_who_is_signed_in(client, agent_marseille):
    anonymous = client.get("/signalements/hors-ligne/session.json").json()
    assert anonymous["compte"] is None and len(anonymous["csrf_token"]) == 64
    client.force_login(agent_marseille)
    response = client.get("/signalements/hors-ligne/session.json")
    assert response.json()["compte"] == agent_marseille.pk
    assert "no-store" in response["Cache-Control"]


def _filing(categorie, key, **extra):
    return {
        "lat": VIEUX_PORT["lat"],
        "lon": VIEUX_PORT["lon"],
        "categorie": categorie.pk,
        "description": "Sacs éventrés devant le n° 12.",
        "idempotency_key": key,
        **extra,
    }


def test_a_replayed_report_is_filed_once_with_its_photo(client, marseille_setup, categories):
    key = "cle-hors-ligne-0123456789abcdef"
    first = client.post(ENVOI, _filing(categories["proprete"], key, photos=[image_file()]))
    assert first.status_code == 201
    reference = first.json()["reference"]
    assert first.json()["tracking_url"].startswith("/signalements/suivi/")
    again = client.post(ENVOI, _filing(categories["proprete"], key, photos=[image_file()]))
    assert again.status_code == 201 and again.json()["reference"] == reference
    report = Signalement.objects.get()
    assert report.reference == reference and report.photos.count() == 1


def test_a_refused_replay_says_why_in_french_json_and_files_nothing(client, marseille_setup, categories):
    closed = client.post(ENVOI, _filing(categories["eau"], "cle-fermee-0123456789abcdef"))
    assert closed.status_code == 400
    assert "Le distributeur d'eau traite ces demandes." in closed.json()["message"]
    incomplete = client.post(ENVOI, {"idempotency_key": "cle-vide-0123456789abcdef"})
    assert incomplete.status_code == 400
    message = incomplete.json()["message"]
    assert "Catégorie : Choisissez une catégorie." in message and "Description :" in message
    assert Signalement.objects.count() == 0
    assert client.get(ENVOI).status_code == 405


@pytest.mark.parametrize("signed_in", [True, False])
def test_agents_only_categories_need_the_agent_s_session_on_replay(
    client, marseille_setup, categories, agent_marseille, signed_in
):
    if signed_in:
        client.force_login(agent_marseille)
    response = client.post(ENVOI, _filing(categories["signalisation"], "cle-agent-0123456789abcdef"))
    assert response.status_code == (201 if signed_in else 400)
    assert Signalement.objects.filter(categorie__code="signalisation").count() == (1 if signed_in else 0)


def test_the_replay_checks_csrf_like_the_form(marseille_setup, categories):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(ENVOI, _filing(categories["proprete"], "cle-csrf-0123456789abcdef"))
    assert refused.status_code == 403
    token = strict.get("/signalements/hors-ligne/session.json").json()["csrf_token"]
    accepted = strict.post(
        ENVOI, _filing(categories["proprete"], "cle-csrf-0123456789abcdef"), headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201


def test_a_replay_past_the_filing_limit_is_told_when_to_come_back(
    client, marseille_setup, categories, settings
):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 0
    response = client.post(ENVOI, _filing(categories["proprete"], "cle-limite-0123456789abcdef"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["message"]
    assert Signalement.objects.count() == 0
