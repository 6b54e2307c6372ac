"""Filing and support limits: counted in PostgreSQL (so they hold with Redis down), keyed on the
client address that ``client_ip`` decides, per account for signed-in users."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from signalements import services
from signalements.models import LimitCounter, Signalement
from signalements.ratelimit import purge_expired

from .conftest import VIEUX_PORT
from .redis_server import free_port

API_URL = "/api/v1/signalements/"
FORM_URL = "/signalements/nouveau/"
PAYLOAD = {**VIEUX_PORT, "categorie": "proprete", "description": "Encombrants."}


def api_post(client, **extra):
    return client.post(API_URL, PAYLOAD, content_type="application/json", **extra)


def test_anonymous_limit_holds_and_answers_with_redis_down(client, marseille_setup, settings):
    # Nothing listens on this port: every cache call would fail.
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}
    }
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 2
    assert [api_post(client).status_code for _ in range(3)] == [201, 201, 429]
    assert Signalement.objects.count() == 2


def test_limit_window_tells_when_to_come_back(client, marseille_setup, settings):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 1
    settings.SIGNALEMENT_ANONYMOUS_WINDOW = 600
    api_post(client)
    refused = api_post(client)
    assert 0 < int(refused["Retry-After"]) <= 600
    assert "réessayez dans" in refused.json()["detail"]


def test_behind_a_trusted_proxy_two_citizens_are_two_addresses(client, marseille_setup, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    assert api_post(client, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 201
    assert api_post(client, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 201
    assert api_post(client, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 429
    # The address stored with the report is the citizen's, not the balancer's.
    assert set(Signalement.objects.values_list("reporter_ip", flat=True)) == {"203.0.113.1", "203.0.113.2"}


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_is_ignored(client, marseille_setup, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 1
    peer = {"REMOTE_ADDR": "198.51.100.7"}
    assert api_post(client, **peer, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 201
    assert api_post(client, **peer, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 429
    assert Signalement.objects.get().reporter_ip == "198.51.100.7"


def test_web_form_checks_the_limit_before_decoding_photos(client, marseille_setup, categories, settings):
    """A refused filing costs no photo decoding: the limit answers, not the (bad) photo."""
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 0
    not_an_image = SimpleUploadedFile("photo.jpg", b"pas une image", content_type="image/jpeg")
    form = {**VIEUX_PORT, "categorie": categories["proprete"].pk, "description": "x", "photos": not_an_image}
    refused = client.post(FORM_URL, form)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Trop de signalements envoyés depuis votre connexion" in page
    assert "n'est pas une image" not in page
    # Within the limit, the same photo is decoded and refused.
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 10
    not_an_image.seek(0)
    assert "n&#x27;est pas une image JPEG" in client.post(FORM_URL, form).content.decode()
    assert not Signalement.objects.exists()


def test_signed_in_users_have_a_generous_limit_per_account(
    client, marseille_setup, settings, gestionnaire, agent_marseille
):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 1
    settings.SIGNALEMENT_ACCOUNT_LIMIT = 3
    client.force_login(gestionnaire)
    assert [api_post(client).status_code for _ in range(4)] == [201, 201, 201, 429]
    assert "depuis votre compte" in api_post(client).json()["detail"]
    # Another account from the same address has its own count.
    client.force_login(agent_marseille)
    assert api_post(client).status_code == 201


def test_anonymous_support_is_limited_per_address(client, marseille_setup, categories, settings):
    settings.SIGNALEMENT_SUPPORT_LIMIT = 2
    report = services.file_signalement(
        user=None, categorie=categories["proprete"], description="Dépôt.", **VIEUX_PORT
    )
    url = reverse("signalements:soutenir", args=[report.pk])
    answers = [client.post(url, follow=True) for _ in range(3)]
    report.refresh_from_db()
    assert report.soutiens == 2
    assert "Trop de soutiens envoyés depuis votre connexion" in answers[-1].content.decode()
    client.post(url, REMOTE_ADDR="192.0.2.8")
    report.refresh_from_db()
    assert report.soutiens == 3


def test_counters_of_past_windows_are_purged(client, marseille_setup):
    api_post(client)
    assert purge_expired() == 0
    assert purge_expired(now=timezone.now() + timedelta(days=1)) == 1
    assert not LimitCounter.objects.exists()


def test_filing_page_warns_before_the_form_is_filled_and_counts_nothing(client, marseille_setup, settings):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 1
    assert "Trop de signalements" not in client.get(FORM_URL).content.decode()
    api_post(client)
    counted = LimitCounter.objects.get().count
    page = client.get(FORM_URL).content.decode()
    assert "Trop de signalements envoyés depuis votre connexion" in page
    assert "Vous pourrez en envoyer un nouveau à partir de" in page
    assert "créer un compte" in page
    # Looking at the page is not filing: the counter did not move.
    client.get(FORM_URL)
    assert LimitCounter.objects.get().count == counted


def test_refusal_is_plain_and_keeps_what_was_typed(client, marseille_setup, categories, settings):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 0
    form = {
        **VIEUX_PORT,
        "categorie": categories["proprete"].pk,
        "description": "Sacs éventrés devant le 12.",
        "email": "habitant@exemple.fr",
        "photos": SimpleUploadedFile("photo.jpg", b"pas lue", content_type="image/jpeg"),
    }
    refused = client.post(FORM_URL, form)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "corrigez les champs" not in page
    assert "celui-ci n'a pas été envoyé" in page
    assert "Ajoutez à nouveau votre photo" in page
    assert "Sacs éventrés devant le 12." in page
    assert 'value="habitant@exemple.fr"' in page
    assert f'value="{VIEUX_PORT["lat"]}"' in page
    assert f'value="{categories["proprete"].pk}" id="categorie-proprete" checked' in page


def test_signed_in_refusal_does_not_suggest_an_account(client, marseille_setup, settings, gestionnaire):
    settings.SIGNALEMENT_ACCOUNT_LIMIT = 0
    client.force_login(gestionnaire)
    page = client.get(FORM_URL).content.decode()
    assert "Trop de signalements envoyés depuis votre compte" in page
    assert "créer un compte" not in page
