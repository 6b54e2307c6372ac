"""Coalesced tasks: a run covers every message scheduled before it started.

Each import's commit asks for its app's indicators to be recomputed; loading the demo queues a
dozen of them per app, each recomputing everything from the stored rows. ``schedule`` publishes
the task with the time it was asked for. A run that succeeds records when it started; a message
scheduled before that start has nothing left to do, since that run read every row committed
before it was scheduled, so it returns ``COALESCED`` at once.

- The start is recorded only once the work has succeeded, and read under the lock: a failed or
  killed run covers nothing, and no other run is in progress while a message decides.
- A lock in the cache keeps two workers from running the same task at once. A message that finds
  it taken comes back later (Celery retry, bounded to outlive the lock) instead of being dropped:
  the run holding it may still fail. A call outside a worker (a test, a shell) waits for it.
- The scheduling time is the web process's clock, the start the worker's: ``CLOCK_MARGIN``
  absorbs the skew between hosts (NTP keeps it far below a second).
- A message without a time (beat, a manual call) always runs, as does any call when Redis cannot
  be reached: recomputing twice is harmless, missing a recompute is not.
"""

import logging
import time
import uuid

from celery import shared_task
from django.core.cache import cache
from redis.exceptions import RedisError

from .publish import publish_quietly

logger = logging.getLogger(__name__)

COALESCED = "coalesced"
# Longer than any recompute: a lock left by a killed worker lasts this long at most.
LOCK_SECONDS = 30 * 60
RETRY_SECONDS = 10.0
MAX_RETRIES = int(LOCK_SECONDS // RETRY_SECONDS) + 2
# Outside a worker, how often a call waiting for the lock tries again.
WAIT_SECONDS = 0.5
CLOCK_MARGIN = 1.0
CACHE_ERRORS = (RedisError, OSError)


def schedule(task):
    """Publish ``task`` with the time it is asked for (call it after the commit it follows)."""
    return publish_quietly(task, time.time())


def coalesced_task(name, **options):
    """Decorator: ``work`` (no arguments) becomes the Celery task ``name`` run under ``run_coalesced``."""

    def decorate(work):
        def run(self, scheduled_at=None):
            return run_coalesced(self, scheduled_at, work)

        # Not functools.wraps: Celery checks the arguments against the signature it would expose.
        run.__name__, run.__qualname__ = work.__name__, work.__qualname__
        run.__module__, run.__doc__ = work.__module__, work.__doc__
        return shared_task(bind=True, name=name, max_retries=MAX_RETRIES, **options)(run)

    return decorate


def run_coalesced(task, scheduled_at, work):
    """``work()``, unless a run that started after ``scheduled_at`` has succeeded (see the module)."""
    lock, started_key = lock_key(task), f"coalesce:{task.name}:started"
    token = task.request.id or uuid.uuid4().hex
    try:
        acquired = _acquire(task, lock, token)
    except CACHE_ERRORS:
        logger.warning("Cache indisponible : %s s'exécute sans verrou.", task.name, exc_info=True)
        return work()
    if not acquired:
        raise task.retry(countdown=RETRY_SECONDS)
    try:
        if scheduled_at is not None and _covered(started_key, scheduled_at):
            return COALESCED
        started = time.time()
        result = work()
        try:
            cache.set(started_key, started, timeout=None)
        except CACHE_ERRORS:
            logger.warning("Début de %s non enregistré : le prochain message refera le calcul.", task.name)
        return result
    finally:
        _release(lock, token)


def lock_key(task):
    return f"coalesce:{task.name}:lock"


def _covered(started_key, scheduled_at):
    try:
        last = cache.get(started_key)
    except CACHE_ERRORS:
        return False
    return last is not None and last > scheduled_at + CLOCK_MARGIN


def _acquire(task, lock, token):
    """True once the lock is ours; False when a worker should come back later."""
    in_worker = not (task.request.called_directly or task.request.is_eager)
    while not cache.add(lock, token, timeout=LOCK_SECONDS):
        if in_worker:
            return False
        time.sleep(WAIT_SECONDS)
    return True


def _release(lock, token):
    # Only our own lock: one that expired during a very long run may be another's by now.
    try:
        if cache.get(lock) == token:
            cache.delete(lock)
    except CACHE_ERRORS:
        logger.warning("Verrou %s non libéré : il expirera.", lock, exc_info=True)
