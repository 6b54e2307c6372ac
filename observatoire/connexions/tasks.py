from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import EvenementConnexion


@shared_task(name="connexions.purge_journal")
def purge_journal():
    """Forget identity events older than the retention (a year by default): the only deletion."""
    return EvenementConnexion.objects.purge(
        timezone.now() - timedelta(days=settings.CONNEXIONS_RETENTION_DAYS)
    )
