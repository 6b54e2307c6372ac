from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from .health import HEARTBEAT_KEY


@shared_task(name="core.heartbeat")
def heartbeat():
    """Beat → worker round trip; /health/ shows when it last happened."""
    stamp = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, stamp, timeout=None)
    return stamp
