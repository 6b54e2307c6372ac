"""The production topology files stay consistent with the code (no Docker engine runs here)."""

import yaml
from django.conf import settings

ROOT = settings.BASE_DIR


def test_compose_describes_the_production_services():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgis/postgis:15")
    assert "celery" in services["worker"]["command"] and "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["web"]["environment"]["DATABASE_URL"].startswith("postgis://")
    assert {"pgdata", "media"} <= set(compose["volumes"])
    assert "media:/app/var/media" in services["worker"]["volumes"]


def test_dockerfile_runs_gunicorn_with_production_settings_and_locked_versions():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "DJANGO_SETTINGS_MODULE=observatoire.settings.prod" in dockerfile
    assert "-c requirements/lock.txt" in dockerfile
    assert 'CMD ["gunicorn", "observatoire.wsgi:application"' in dockerfile
    assert "npm ci" in dockerfile
