"""Filing survives a frozen Redis: every channel answers within 2 s, once per filing attempt.

Redis is paused (SIGSTOP), not killed: the kernel still accepts connections and nothing ever
answers, the worst case for a client without socket timeouts. The Redis is the test's own, so
freezing it disturbs nobody else.
"""

import re
import threading
import time

import pytest
from django.core.cache import cache

from observatoire.celery import app
from signalements.models import Photo, Signalement
from signalements.open311.models import ApiKey

from .conftest import VIEUX_PORT, image_file, open311_filing
from .redis_server import RedisServer, celery_on

pytestmark = pytest.mark.redis_outage

BUDGET = 2.0  # seconds, per request
# Before the fix a request hung for as long as the pause: resume Redis after this long so that
# a regression fails on the timing assertions instead of hanging the test run.
WATCHDOG = 15.0


@pytest.fixture
def frozen_redis(settings, client):
    """The cache and the broker on a Redis of the test's own, frozen once the portal is warm."""
    server = RedisServer()
    server.start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    with celery_on(server):
        # Open the pooled connections first (a running portal meets a frozen Redis behind
        # established sockets), and leave the first request's one-off costs out of the timings.
        cache.set("echauffement", 1)
        app.send_task("core.heartbeat")
        client.get("/signalements/nouveau/")
        server.pause()
        watchdog = threading.Timer(WATCHDOG, server.resume)
        watchdog.start()
        try:
            yield server
        finally:
            watchdog.cancel()
            server.resume()
            cache.close()
    server.stop()


@pytest.fixture
def timed(django_capture_on_commit_callbacks):
    """Run a request with its after-commit work (task publishing), as the server would; time both."""

    def run(request, *args, **kwargs):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = request(*args, **kwargs)
        elapsed = time.monotonic() - started
        assert elapsed < BUDGET, f"{elapsed:.2f} s with Redis frozen"
        return response

    return run


def form_token(page):
    return re.search(rb'name="idempotency_key" value="([^"]+)"', page.content).group(1).decode()


def test_filing_answers_quickly_and_once_with_redis_frozen(
    client, django_user_model, frozen_redis, timed, marseille_setup, categories, gestionnaire
):
    attempts = 0

    # Web form, anonymous, with a photo (its thumbnail is a Celery task).
    page = timed(client.get, "/signalements/nouveau/")
    assert page.status_code == 200
    form = {
        **VIEUX_PORT,
        "categorie": categories["proprete"].pk,
        "description": "Dépôt sauvage.",
        "email": "citoyen@exemple.fr",
        "idempotency_key": form_token(page),
    }
    first = timed(client.post, "/signalements/nouveau/", {**form, "photos": image_file()})
    attempts += 1
    assert first.status_code == 302
    retry = timed(client.post, "/signalements/nouveau/", {**form, "photos": image_file()})
    assert retry.status_code == 302 and retry["Location"] == first["Location"]
    assert Photo.objects.count() == 1

    # API, anonymous then signed in, each retried with the same Idempotency-Key.
    payload = {**VIEUX_PORT, "categorie": "proprete", "description": "Encombrants.", "email": "a@exemple.fr"}
    ids = []
    for key in ("cle-anonyme", "cle-connecte"):
        if key == "cle-connecte":
            client.force_login(gestionnaire)
        answers = [
            timed(
                client.post,
                "/api/v1/signalements/",
                payload,
                content_type="application/json",
                headers={"Idempotency-Key": key},
            )
            for _ in range(2)
        ]
        attempts += 1
        assert [answer.status_code for answer in answers] == [201, 201]
        assert answers[0].json()["id"] == answers[1].json()["id"]
        ids.append(answers[0].json()["id"])
    assert len(set(ids)) == 2

    # Open311, retried with the same Idempotency-Key.
    api_key = ApiKey.objects.create(name="Application de test")
    open311 = open311_filing(api_key, email="b@exemple.fr")
    answers = [
        timed(client.post, "/open311/v2/requests.json", open311, headers={"Idempotency-Key": "cle-311"})
        for _ in range(2)
    ]
    attempts += 1
    assert [answer.status_code for answer in answers] == [200, 200]
    assert answers[0].json()[0]["service_request_id"] == answers[1].json()[0]["service_request_id"]

    assert Signalement.objects.count() == attempts
