import logging

import pytest

CLOSED_REDIS = "redis://127.0.0.1:1/0"


def test_health_ok_names_every_part(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["cache"] == "ok"
    assert body["postgis"].startswith("3.")


@pytest.fixture
def redis_down(settings):
    settings.REDIS_URL = CLOSED_REDIS
    settings.CELERY_BROKER_URL = CLOSED_REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }


def test_health_degraded_when_redis_is_down(client, redis_down):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["broker"] == "erreur"
    assert body["cache"] == "erreur"


def test_public_health_names_the_failed_part_but_no_detail(client, redis_down, settings, caplog):
    """Hosts, ports and error texts help an attacker map the network: they go to the logs only."""
    settings.DEBUG = False
    with caplog.at_level(logging.ERROR, logger="observatoire.core.health"):
        text = client.get("/health/").content.decode()
    assert "127.0.0.1" not in text and "Error" not in text and "6379" not in text and ":1" not in text
    logged = "\n".join(
        record.getMessage() + str(record.exc_info and record.exc_info[1]) for record in caplog.records
    )
    assert "broker" in logged and "cache" in logged and "127.0.0.1" in logged


def test_in_development_the_answer_keeps_the_detail(client, redis_down, settings):
    settings.DEBUG = True
    assert client.get("/health/").json()["broker"].startswith("erreur : ConnectionError")


def test_health_is_never_cached(client):
    assert "no-cache" in client.get("/health/")["Cache-Control"]
