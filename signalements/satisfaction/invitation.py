"""Ask the reporter, once the report is resolved, whether the problem is fixed.

Kept apart from ``services`` (which calls the workflow) so that the workflow can call it
without an import cycle.
"""

from django.conf import settings

from .. import notifications
from .models import Avis

SUBJECT = "Signalement {reference} : le problème est-il réglé ?"


def invite(report):
    """Queue the invitation in the outbox, unless there is nobody to ask or the answer is known."""
    if not report.reporter_email or Avis.objects.filter(signalement_id=report.pk).exists():
        return None
    return notifications.queue(
        report,
        report.reporter_email,
        "signalements/email/avis_invitation.txt",
        {"url": settings.SITE_URL + report.get_tracking_url() + "#avis"},
        SUBJECT.format(reference=report.reference),
    )
