from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .enums import OPEN_STATUSES
from .models import Avis, Notification, Signalement, Soutien


def purge_personal_data(now=None):
    """Erase e-mail, IP, account link, supporters, sent mails and opinion comments of reports closed long ago.

    Idempotent: purged reports carry ``personal_data_purged_at`` and are skipped next time.
    """
    now = now or timezone.now()
    limit = now - relativedelta(months=settings.SIGNALEMENT_PERSONAL_DATA_MONTHS)
    expired = (
        Signalement.objects.exclude(status__in=OPEN_STATUSES)
        .filter(closed_at__lt=limit, personal_data_purged_at__isnull=True)
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        ids = list(expired)
        Notification.objects.filter(signalement_id__in=ids).delete()
        Soutien.objects.filter(signalement_id__in=ids).update(user=None)
        # The rating stays for the statistics; the free comment may name or describe its author.
        Avis.objects.filter(signalement_id__in=ids).update(commentaire="")
        count = Signalement.objects.filter(pk__in=ids).update(
            reporter=None, reporter_email="", reporter_ip=None, personal_data_purged_at=now
        )
    return count
