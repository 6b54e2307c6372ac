"""Celery tasks of the links to the services' systems (listed in settings.CELERY_IMPORTS)."""

from celery import shared_task

from . import outbox, suivi


@shared_task(name="signalements.liaisons.send_envoi", ignore_result=True)
def send_envoi(pk):
    """Send one report to a service's system; idempotent (row lock, sent ones skipped)."""
    return outbox.send(pk)


@shared_task(name="signalements.liaisons.send_due_envois")
def send_due_envois():
    """Beat sweep: what the broker missed, and the retries whose backoff has elapsed."""
    return sum(outbox.send(pk) for pk in list(outbox.due().values_list("pk", flat=True)[:200]))


@shared_task(name="signalements.liaisons.poll_open311")
def poll_open311():
    """Beat: read the state of the requests filed on the services' Open311 servers."""
    return suivi.poll_open311()
