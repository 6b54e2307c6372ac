import logging
import time

logger = logging.getLogger(__name__)

# After a failed publish the broker is left alone this long: on a frozen Redis each attempt
# costs its socket timeout, and one request may publish several tasks (a report's mail and
# each photo's thumbnail). What is skipped is done by the beat sweeps, as for a failure.
BACKOFF_SECONDS = 5.0
_skip_until = 0.0


def publish_quietly(task, *args):
    """Publish a task without waiting on a dead broker: a beat sweep catches up on what failed.

    Returns the task's AsyncResult, or None when nothing was published."""
    global _skip_until
    if time.monotonic() >= _skip_until:
        try:
            return task.apply_async(args, retry=False)
        except Exception:  # noqa: BLE001 - broker down: the periodic sweep will do it
            _skip_until = time.monotonic() + BACKOFF_SECONDS
    logger.warning("Broker indisponible : %s%s sera fait au prochain passage.", task.name, args)
    return None


def reset_backoff():
    """Try the broker again at the next publish (tests that bring a broker back use it)."""
    global _skip_until
    _skip_until = 0.0
