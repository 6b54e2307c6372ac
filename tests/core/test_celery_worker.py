"""A real Celery worker, consuming from the real Redis broker (no eager mode)."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from observatoire.celery import app
from observatoire.core.health import HEARTBEAT_KEY
from observatoire.core.tasks import heartbeat


@pytest.mark.worker
def test_heartbeat_runs_on_a_real_worker_through_redis(settings):
    assert not app.conf.task_always_eager
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = heartbeat.delay()
        stamp = result.get(timeout=20)
    assert result.status == "SUCCESS"
    assert cache.get(HEARTBEAT_KEY) == stamp


@pytest.fixture
def all_tasks():
    """Every app's tasks registered, as a worker has them (a test process imports them lazily)."""
    app.loader.import_default_modules()
    return app.tasks


def test_beat_schedule_runs_the_heartbeat_every_minute(all_tasks):
    schedule = app.conf.beat_schedule
    assert schedule["heartbeat"]["task"] == "core.heartbeat"
    assert schedule["heartbeat"]["schedule"] == 60.0
    assert "core.heartbeat" in all_tasks
    assert "accounts.purge_login_attempts" in all_tasks


def test_every_indicator_recompute_is_made_up_at_night_before_the_open_data_publication(all_tasks):
    """A recompute an import asked for while the broker was down is not lost for good."""
    recomputes = {name for name in all_tasks if name.endswith((".recompute_indicators", ".recompute_dvf"))}
    nightly = {
        entry["task"]: entry["schedule"]
        for key, entry in app.conf.beat_schedule.items()
        if key.startswith("nightly-")
    }
    assert recomputes and recomputes == set(nightly)
    publication = app.conf.beat_schedule["opendata-nightly-publication"]["schedule"]
    for schedule in nightly.values():
        assert max(schedule.hour) < min(publication.hour)
