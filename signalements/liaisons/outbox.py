"""The outbox of reports sent to the services' own systems.

An Envoi is created in the transaction that forwards the report (so a rollback leaves none) and
published to Celery after commit; a beat sweep sends whatever the broker missed or their server
refused, with an exponential backoff, until ``MAX_ATTEMPTS`` make it « abandonné ».
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from observatoire.core.publish import publish_quietly

from .clients import PermanentError, TransientError, open311_file, open311_read, webhook_send
from .models import Envoi, EtatEnvoi, Liaison, Mode

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # 1 + 2 + 4 + … minutes: about four hours of outage before a person is asked
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=2)
TO_SEND = (EtatEnvoi.EN_ATTENTE, EtatEnvoi.ECHEC)


def queue_envoi(report):
    """Within the forwarding's transaction: an Envoi if the report's service has a live link."""
    liaison = (
        Liaison.objects.filter(service=report.service_id, is_active=True).exclude(mode=Mode.EMAIL).first()
    )
    if liaison is None:
        return None
    # Forwarded again to the same service (sent back, then re-sent): they already have it.
    envoi, created = Envoi.objects.get_or_create(
        signalement=report, service_id=report.service_id, defaults={"mode": liaison.mode}
    )
    if created:
        transaction.on_commit(lambda: dispatch(envoi.pk))
    return envoi


def dispatch(pk):
    from .tasks import send_envoi  # the tasks module imports this one

    publish_quietly(send_envoi, pk)


def backoff(attempts):
    return min(FIRST_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)


def due():
    return Envoi.objects.filter(etat__in=TO_SEND, next_attempt_at__lte=timezone.now())


def send(pk):
    """Send one due Envoi; skipped if already sent, not due, or being sent by another worker."""
    with transaction.atomic():
        envoi = (
            due()
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("signalement__categorie", "signalement__commune", "service__liaison")
            .filter(pk=pk)
            .first()
        )
        if envoi is None:
            return False
        envoi.attempts += 1
        liaison = getattr(envoi.service, "liaison", None)
        try:
            if liaison is None or not liaison.is_active or liaison.mode != envoi.mode:
                raise PermanentError("La liaison de ce service a été désactivée ou a changé de mode.")
            _deliver(envoi, liaison)
        except PermanentError as error:
            envoi.etat, envoi.last_error = EtatEnvoi.ABANDONNE, str(error)
        except TransientError as error:
            envoi.last_error = str(error)
            if envoi.attempts >= MAX_ATTEMPTS:
                envoi.etat = EtatEnvoi.ABANDONNE
            else:
                envoi.etat = EtatEnvoi.ECHEC
                envoi.next_attempt_at = timezone.now() + backoff(envoi.attempts)
        else:
            envoi.etat, envoi.sent_at, envoi.last_error = EtatEnvoi.ENVOYE, timezone.now(), ""
        envoi.save()
    if envoi.etat != EtatEnvoi.ENVOYE:
        logger.warning("Envoi %s vers %s : %s (%s)", envoi.pk, envoi.service, envoi.etat, envoi.last_error)
    return envoi.etat == EtatEnvoi.ENVOYE


def _deliver(envoi, liaison):
    if envoi.mode == Mode.OPEN311:
        envoi.reference_externe = open311_file(liaison, envoi)
        # Their state right after filing is the baseline: only a later change means they act on it.
        if envoi.reference_externe:
            try:
                envoi.etat_externe = external_state(*open311_read(liaison, envoi.reference_externe))
                envoi.suivi_at = timezone.now()
            except (TransientError, PermanentError):
                pass  # the next poll reads it
    else:
        envoi.reference_externe = webhook_send(liaison, envoi)


def external_state(status, notes):
    """What we compare to know whether their side moved (stored in ``Envoi.etat_externe``)."""
    return f"{status} · {notes}"[:200]


def retry(envoi):
    """A gestionnaire's « réessayer »: a fresh series of attempts, published after commit."""
    updated = Envoi.objects.filter(pk=envoi.pk, etat__in=(EtatEnvoi.ECHEC, EtatEnvoi.ABANDONNE)).update(
        etat=EtatEnvoi.EN_ATTENTE, attempts=0, next_attempt_at=timezone.now()
    )
    if updated:
        transaction.on_commit(lambda: dispatch(envoi.pk))
    return bool(updated)
