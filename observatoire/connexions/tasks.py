from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import sessions
from .models import EvenementConnexion


@shared_task(name="connexions.purge_journal")
def purge_journal():
    """Forget identity events older than the retention (a year by default), the journal's only
    deletion, and the rows of sessions that expired without a logout."""
    before = timezone.now() - timedelta(days=settings.CONNEXIONS_RETENTION_DAYS)
    return {"evenements": EvenementConnexion.objects.purge(before), "sessions": sessions.prune_expired()}
