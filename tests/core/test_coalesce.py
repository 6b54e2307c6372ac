"""Coalesced recomputes, through a real worker and a real Redis as broker and cache.

The tasks below count their real runs in Redis. The module has a redis-server of its own: the
other test processes (pytest-xdist) empty the shared one before and after each test (cache.clear),
which would take the locks, counters and queued messages away in the middle of these tests, and
their workers would take these tests' messages.
"""

import logging
import time
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from observatoire.celery import app
from observatoire.core import coalesce
from observatoire.core.coalesce import COALESCED, coalesced_task, schedule
from tests.signalements.redis_server import RedisServer, celery_on

RUNS, RUNNING, OVERLAPS, FAILED = (f"tests:coalesce:{key}" for key in ("runs", "running", "overlaps", "fail"))


@coalesced_task(name="tests.coalesce.count")
def count_runs():
    return cache.incr(RUNS)


@coalesced_task(name="tests.coalesce.slow")
def slow_run():
    if cache.incr(RUNNING) > 1:
        cache.incr(OVERLAPS)
    time.sleep(0.8)
    cache.decr(RUNNING)
    return cache.incr(RUNS)


@coalesced_task(name="tests.coalesce.fail_once")
def fail_once():
    if cache.add(FAILED, 1):
        raise RuntimeError("base de données indisponible")
    return cache.incr(RUNS)


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def own_redis(redis_server, settings):
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": redis_server.url}}
    with celery_on(redis_server):
        cache.clear()
        yield


@pytest.fixture(autouse=True)
def counters(own_redis, monkeypatch):
    for key in (RUNS, RUNNING, OVERLAPS):
        cache.set(key, 0, timeout=None)
    # Blocked messages come back quickly; the clocks are the same host's.
    monkeypatch.setattr(coalesce, "RETRY_SECONDS", 0.2)
    monkeypatch.setattr(coalesce, "CLOCK_MARGIN", 0.1)


@contextmanager
def worker(**options):
    # The worker takes the root logger's handlers (Celery's hijack); later tests read them.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=10, **options):
            yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition never met"
        time.sleep(0.05)


@pytest.mark.worker
def test_two_messages_scheduled_before_a_run_starts_make_one_run():
    first, second = schedule(count_runs), schedule(count_runs)
    time.sleep(2 * coalesce.CLOCK_MARGIN)
    with worker():
        outcomes = {first.get(timeout=20), second.get(timeout=20)}
    assert outcomes == {1, COALESCED}
    assert cache.get(RUNS) == 1


@pytest.mark.worker
def test_a_message_scheduled_after_a_run_started_runs_again():
    with worker():
        assert schedule(count_runs).get(timeout=20) == 1
        assert schedule(count_runs).get(timeout=20) == 2


@pytest.mark.worker
def test_the_lock_keeps_runs_apart_and_the_blocked_message_runs_after():
    with worker(pool="threads", concurrency=2):
        first = schedule(slow_run)
        wait_for(lambda: cache.get(RUNNING) == 1)
        # Asked while the first run reads the rows: it may have missed this commit.
        second = schedule(slow_run)
        assert first.get(timeout=20) == 1
        assert second.get(timeout=20) == 2
    assert cache.get(OVERLAPS) == 0


@pytest.mark.worker
def test_a_message_blocked_by_a_lock_is_retried_until_it_is_free():
    # A lock left by a worker killed mid-run, until it expires.
    cache.set(coalesce.lock_key(count_runs), "un-worker-arrete", timeout=60)
    with worker():
        result = schedule(count_runs)
        time.sleep(1)
        assert cache.get(RUNS) == 0
        assert result.state != "SUCCESS"
        cache.delete(coalesce.lock_key(count_runs))
        assert result.get(timeout=20) == 1


@pytest.mark.worker
def test_a_call_outside_a_worker_waits_for_the_running_one():
    with worker():
        first = slow_run.delay()
        wait_for(lambda: cache.get(RUNNING) == 1)
        assert slow_run() == 2
        assert first.get(timeout=20) == 1
    assert cache.get(OVERLAPS) == 0


@pytest.mark.worker
def test_messages_and_calls_without_a_time_always_run():
    assert count_runs() == 1
    assert count_runs() == 2
    with worker():
        assert count_runs.delay().get(timeout=20) == 3
        assert count_runs.delay().get(timeout=20) == 4


def test_only_a_run_started_after_the_clock_margin_covers_a_message():
    asked = time.time()
    assert count_runs.apply((asked,)).get() == 1
    # Scheduled within the margin before that run started: the clocks may disagree, run again.
    assert count_runs.apply((asked,)).get() == 2
    assert count_runs.apply((asked - 2 * coalesce.CLOCK_MARGIN,)).get() == COALESCED
    assert cache.get(RUNS) == 2


def test_a_failed_run_covers_nothing():
    asked = time.time() - 10
    with pytest.raises(RuntimeError):
        fail_once.apply((asked,), throw=True)
    assert fail_once.apply((asked,)).get() == 1
    assert fail_once.apply((asked,)).get() == COALESCED
    assert cache.get(coalesce.lock_key(fail_once)) is None
