import logging

logger = logging.getLogger(__name__)


def publish_quietly(task, *args):
    """Publish a task without waiting on a dead broker: a beat sweep catches up on what failed."""
    try:
        task.apply_async(args, retry=False)
    except Exception:  # noqa: BLE001 - broker down: the periodic sweep will do it
        logger.warning("Broker indisponible : %s%s sera fait au prochain passage.", task.name, args)
