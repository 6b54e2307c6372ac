"""Queue e-mails in the outbox within the caller's transaction; Celery sends them after commit."""

import logging

from django.db import transaction
from django.template.loader import render_to_string

from observatoire.core.publish import publish_quietly

from .liaisons.outbox import queue_envoi
from .models import Notification
from .tasks import send_notification

logger = logging.getLogger(__name__)


def queue(signalement, recipient, template, context, subject):
    if not recipient:
        return None
    body = render_to_string(template, {"signalement": signalement, **context})
    notification = Notification.objects.create(
        signalement=signalement, recipient=recipient, subject=subject, body=body
    )
    transaction.on_commit(lambda: _dispatch(notification.pk))
    return notification


def _dispatch(pk):
    publish_quietly(send_notification, pk)


def notify_service(report, entry=None):
    """Tell the service a report was forwarded (or re-routed) to it: its own system if it has a
    link (Open311, webhook), else by e-mail."""
    if queue_envoi(report) is not None:
        return
    if report.service and report.service.email:
        queue(
            report,
            report.service.email,
            "signalements/email/service.txt",
            {"entry": entry},
            f"Signalement transmis : {report.reference} ({report.categorie.nom}, {report.commune.nom})",
        )
