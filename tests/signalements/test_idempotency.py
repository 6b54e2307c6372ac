"""A retried filing returns the first report: Idempotency-Key on the API and Open311, a one-time
token on the web form. Keys are kept in PostgreSQL, per client, for a day."""

import re
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from signalements import services
from signalements.idempotency import Claim
from signalements.models import IdempotencyKey, LimitCounter, Signalement
from signalements.open311.models import ApiKey
from signalements.tasks import purge_expired_keys

from .conftest import VIEUX_PORT, image_file, open311_filing

API_URL = "/api/v1/signalements/"
FORM_URL = "/signalements/nouveau/"
OPEN311_URL = "/open311/v2/requests.json"
PAYLOAD = {**VIEUX_PORT, "categorie": "proprete", "description": "Encombrants.", "email": "a@exemple.fr"}


def api_post(client, key=None, payload=PAYLOAD, **extra):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(API_URL, payload, content_type="application/json", headers=headers, **extra)


def test_api_retry_with_the_same_key_returns_the_first_report(client, marseille_setup):
    first = api_post(client, "2f1c6a0e-3b57-4a7e-9d43-6f2b1f9e8c11")
    again = api_post(client, "2f1c6a0e-3b57-4a7e-9d43-6f2b1f9e8c11")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Signalement.objects.count() == 1
    # The draft's quoted form of the header names the same key.
    assert api_post(client, '"2f1c6a0e-3b57-4a7e-9d43-6f2b1f9e8c11"').json()["id"] == first.json()["id"]


def test_api_without_a_key_or_with_another_key_files_again(client, marseille_setup):
    api_post(client)
    api_post(client)
    api_post(client, "une-cle")
    api_post(client, "une-autre-cle")
    assert Signalement.objects.count() == 4


def test_api_same_key_with_another_content_is_422_and_files_nothing(client, marseille_setup):
    api_post(client, "cle-1")
    other = api_post(client, "cle-1", payload={**PAYLOAD, "description": "Autre chose."})
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert Signalement.objects.count() == 1


def test_api_key_belongs_to_its_client(client, marseille_setup, gestionnaire):
    api_post(client, "cle-commune")
    # Another address, then a signed-in user, with the same key and content: their own reports.
    api_post(client, "cle-commune", REMOTE_ADDR="192.0.2.44")
    client.force_login(gestionnaire)
    api_post(client, "cle-commune")
    assert Signalement.objects.count() == 3


def test_api_invalid_key_is_400(client, marseille_setup):
    answer = api_post(client, "x" * 300)
    assert answer.status_code == 400 and "Idempotency-Key" in answer.json()["detail"]
    assert not Signalement.objects.exists()


def test_a_failed_filing_stores_no_key(client, marseille_setup):
    """The client corrects its request and sends it again under the same key."""
    outside = api_post(client, "cle-1", payload={**PAYLOAD, "lon": 5.05, "lat": 43.15})
    assert outside.status_code == 400
    assert api_post(client, "cle-1").status_code == 201
    assert Signalement.objects.count() == 1


def test_an_expired_key_files_again(client, marseille_setup):
    api_post(client, "cle-1")
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_post(client, "cle-1").status_code == 201
    assert Signalement.objects.count() == 2
    assert IdempotencyKey.objects.get().expires_at > timezone.now() + timedelta(hours=23)


def test_a_concurrent_filing_under_the_same_key_gives_way_to_the_first(marseille_setup, categories):
    """Two requests both found no key: the second one's report is rolled back with its key."""
    content = {**VIEUX_PORT, "categorie": categories["proprete"], "description": "Dépôt.", "email": ""}
    claim = Claim.of("api", "ip:192.0.2.1", "cle-1", **content)

    def file():
        return services.file_signalement(user=AnonymousUser(), **content)

    first = claim.file(file)
    assert claim.file(file) == first
    assert Signalement.objects.count() == 1


def test_expired_keys_and_counters_are_purged(client, marseille_setup):
    api_post(client, "cle-1")
    assert purge_expired_keys() == 0
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    LimitCounter.objects.update(window_start=timezone.now() - timedelta(days=1))
    assert purge_expired_keys() == 2
    assert Signalement.objects.count() == 1


def test_api_retry_is_answered_even_past_the_filing_limit(client, marseille_setup, settings):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 1
    first = api_post(client, "cle-1")
    assert api_post(client, "cle-1").json()["id"] == first.json()["id"]
    assert api_post(client, "cle-2").status_code == 429


def test_key_store_holds_no_client_address(client, marseille_setup):
    api_post(client, "cle-1", REMOTE_ADDR="198.51.100.23")
    row = IdempotencyKey.objects.get()
    assert "198.51.100.23" not in row.client and len(row.client) == 64


def test_openapi_schema_documents_the_header(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    post = schema["paths"]["/api/v1/signalements/"]["post"]
    header = next(p for p in post["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and not header.get("required", False)
    assert "422" in post["responses"]


# --- Open311 ----------------------------------------------------------------------------------


def open311_post(client, api_key, key, **data):
    return client.post(OPEN311_URL, open311_filing(api_key, **data), headers={"Idempotency-Key": key})


def test_open311_retry_returns_the_first_request_per_api_key(client, marseille_setup):
    api_key = ApiKey.objects.create(name="Application")
    first = open311_post(client, api_key, "cle-311")
    again = open311_post(client, api_key, "cle-311")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert Signalement.objects.count() == 1
    # Another Open311 client's key is its own.
    open311_post(client, ApiKey.objects.create(name="Autre application"), "cle-311")
    assert Signalement.objects.count() == 2


def test_open311_same_key_with_another_content_is_422(client, marseille_setup):
    api_key = ApiKey.objects.create(name="Application")
    open311_post(client, api_key, "cle-311")
    other = open311_post(client, api_key, "cle-311", description="Autre chose.")
    assert other.status_code == 422
    assert other.json()[0]["code"] == 422
    assert Signalement.objects.count() == 1


# --- Web form ---------------------------------------------------------------------------------


def form_token(page):
    return re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode()).group(1)


def form_data(categories, token, **extra):
    return {
        **VIEUX_PORT,
        "categorie": categories["proprete"].pk,
        "description": "Dépôt sauvage.",
        "idempotency_key": token,
        **extra,
    }


def test_form_sent_twice_files_once(client, marseille_setup, categories):
    token = form_token(client.get(FORM_URL))
    first = client.post(FORM_URL, form_data(categories, token, photos=image_file()))
    again = client.post(FORM_URL, form_data(categories, token, photos=image_file()))
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == Signalement.objects.get().get_tracking_url()
    # Each page gets its own token.
    assert form_token(client.get(FORM_URL)) != token


def test_form_token_reused_for_another_report_asks_to_send_again(client, marseille_setup, categories):
    token = form_token(client.get(FORM_URL))
    client.post(FORM_URL, form_data(categories, token))
    other = client.post(FORM_URL, form_data(categories, token, description="Autre chose."))
    assert other.status_code == 200
    assert "Ce formulaire a déjà servi à envoyer un autre signalement" in other.content.decode()
    fresh = form_token(other)
    assert fresh != token
    assert client.post(FORM_URL, form_data(categories, fresh, description="Autre chose.")).status_code == 302
    assert Signalement.objects.count() == 2
