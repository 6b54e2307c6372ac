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


def test_health_degraded_when_redis_is_down(client, settings):
    settings.REDIS_URL = CLOSED_REDIS
    settings.CELERY_BROKER_URL = CLOSED_REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CLOSED_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["broker"].startswith("erreur : ConnectionError")
    assert body["cache"].startswith("erreur")


def test_health_is_never_cached(client):
    assert "no-cache" in client.get("/health/")["Cache-Control"]
