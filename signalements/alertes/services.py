"""Subscribing (double opt-in), unsubscribing, and sending the alerts and the daily digests."""

import time
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from observatoire.core.publish import publish_quietly

from ..enums import RejectionReason, Status
from ..models import Notification, Signalement
from ..ratelimit import Limit, RateLimited
from . import mails, matching
from .matching import NOUVEAU, RESOLU
from .models import Abonnement, Frequence

SUBSCRIPTIONS_PER_ADDRESS = Limit(
    "alerte-ip",
    "ALERTES_IP_LIMIT",
    "ALERTES_WINDOW",
    "Trop de demandes d'abonnement depuis votre connexion : réessayez dans {delai}.",
)
SUBSCRIPTIONS_PER_EMAIL = Limit(
    "alerte-courriel",
    "ALERTES_EMAIL_LIMIT",
    "ALERTES_WINDOW",
    "Trop de demandes d'abonnement pour cette adresse électronique : réessayez dans {delai}.",
)
# Two ints for pg_advisory_xact_lock: this namespace, then the report's id and the kind of event.
ALERT_LOCK_NAMESPACE = 150_005


def confirmation_deadline(abonnement):
    return abonnement.created_at + timedelta(hours=settings.ALERTES_CONFIRMATION_HOURS)


def is_expired(abonnement, now=None):
    return abonnement.confirmed_at is None and (now or timezone.now()) > confirmation_deadline(abonnement)


def subscribe(abonnement, client_ip):
    """Save an unconfirmed subscription and mail its confirmation link; RateLimited past the limits.

    The limits stop the form being used to flood someone's mailbox: per client address, per
    e-mail address, and a few requests awaiting confirmation per e-mail address at once.
    """
    since = timezone.now() - timedelta(hours=settings.ALERTES_CONFIRMATION_HOURS)
    pending = Abonnement.objects.filter(
        email=abonnement.email, confirmed_at__isnull=True, created_at__gte=since
    )
    if pending.count() >= settings.ALERTES_PENDING_PER_EMAIL:
        raise RateLimited(
            "Plusieurs demandes attendent déjà une confirmation pour cette adresse : utilisez le lien du "
            f"courriel reçu, ou attendez qu'elles expirent ({settings.ALERTES_CONFIRMATION_HOURS} heures "
            "après la demande).",
            retry_after=settings.ALERTES_CONFIRMATION_HOURS * 3600,
        )
    SUBSCRIPTIONS_PER_ADDRESS.check(f"ip:{client_ip or 'inconnue'}")
    SUBSCRIPTIONS_PER_EMAIL.check(f"courriel:{abonnement.email}")
    with transaction.atomic():
        abonnement.save()
        mails.queue_confirmation(abonnement)
    return abonnement


def confirm(abonnement):
    """Idempotent; alerts cover what happens from now on, not the past."""
    with transaction.atomic():
        row = Abonnement.objects.select_for_update().get(pk=abonnement.pk)
        if row.confirmed_at is None:
            row.confirmed_at = row.sent_until = timezone.now()
            row.save(update_fields=["confirmed_at", "sent_until"])
    abonnement.refresh_from_db()
    return abonnement


def unsubscribe(abonnement):
    """Idempotent: a second click keeps the first date."""
    Abonnement.objects.filter(pk=abonnement.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    abonnement.refresh_from_db()
    return abonnement


def delete_unconfirmed(now=None):
    cutoff = (now or timezone.now()) - timedelta(hours=settings.ALERTES_CONFIRMATION_HOURS)
    return Abonnement.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()[0]


def schedule(report, kind):
    """Called inside the filing or the transition: the alerts go out once it is committed.

    Nothing is published while nobody wants immediate alerts of this kind: a publish costs the
    filing ~2 ms of its ~10, and an event skipped by a worker whose answer was stale is sent by the
    15-minute sweep (``send_missed_alerts``), which reads the events themselves.
    """
    from .tasks import send_alerts

    if immediate_subscribers_exist(kind):
        transaction.on_commit(lambda: publish_quietly(send_alerts, report.pk, kind))


IMMEDIATE_CHECK_SECONDS = 60
_immediate_checked = {}


def immediate_subscribers_exist(kind):
    """Whether any confirmed subscription wants this kind at once; asked once a minute per process."""
    now = time.monotonic()
    checked = _immediate_checked.get(kind)
    if checked is not None and now - checked[0] < IMMEDIATE_CHECK_SECONDS:
        return checked[1]
    wanted = {"nouveaux": True} if kind == NOUVEAU else {"resolus": True}
    exists = Abonnement.objects.filter(
        frequence=Frequence.IMMEDIATE, confirmed_at__isnull=False, unsubscribed_at__isnull=True, **wanted
    ).exists()
    _immediate_checked[kind] = (now, exists)
    return exists


@receiver(post_save, sender=Abonnement)
def _forget_immediate_check(**kwargs):
    # A subscription confirmed in this process counts at once (the others learn within a minute).
    _immediate_checked.clear()


def _reports(ids):
    return {
        report.pk: report
        for report in Signalement.objects.filter(pk__in=ids)
        .select_related("categorie", "commune")
        .with_lonlat()
    }


def send_alerts(report_pk, kind):
    """Queue the immediate alerts of one event; idempotent (a retry or the sweep sends nothing twice)."""
    report = _reports([report_pk]).get(report_pk)
    if report is None or report.rejection_reason == RejectionReason.SPAM:
        return 0
    at = report.created_at if kind == NOUVEAU else report.resolved_at
    if kind == RESOLU and (at is None or report.status not in (Status.RESOLU, Status.CLOS)):
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [ALERT_LOCK_NAMESPACE, report.pk * 2 + (kind == RESOLU)],
            )
        done = {
            headers.get(mails.ALERT_HEADER)
            for headers in Notification.objects.filter(signalement=report).values_list("headers", flat=True)
        }
        sent = 0
        for abonnement in matching.immediate_subscriptions(report, kind, at):
            if mails.alert_key(abonnement, kind) not in done:
                mails.queue_alert(abonnement, report, kind)
                sent += 1
    return sent


def recent_events(hours=2):
    """(report id, kind) of the last hours, for the sweep that catches alerts the broker missed."""
    since = timezone.now() - timedelta(hours=hours)
    new = Signalement.objects.filter(created_at__gte=since).values_list("pk", flat=True)
    resolved = Signalement.objects.filter(
        resolved_at__gte=since, status__in=(Status.RESOLU, Status.CLOS)
    ).values_list("pk", flat=True)
    return [(pk, NOUVEAU) for pk in new] + [(pk, RESOLU) for pk in resolved]


def digest_cutoff(now=None):
    """Digests run up to last midnight (local time): each subscription gets one per day at most."""
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)


def send_digests(until=None):
    """Queue the daily digests due at ``until``; idempotent through each subscription's ``sent_until``."""
    until = until or digest_cutoff()
    events = defaultdict(list)
    for abonnement_id, report_id, kind in matching.digest_events(until):
        events[abonnement_id].append((report_id, kind))
    reports = _reports({report_id for pairs in events.values() for report_id, _ in pairs})
    sent = 0
    for abonnement_id in events:
        with transaction.atomic():
            abonnement = (
                matching.due_digests(until)
                .select_for_update(skip_locked=True)
                .filter(pk=abonnement_id)
                .first()
            )
            if abonnement is None:
                continue  # done by another run
            items = [
                mails.public_item(reports[pk], kind) for pk, kind in events[abonnement_id] if pk in reports
            ]
            mails.queue_digest(abonnement, items, until - timedelta(days=1))
            abonnement.sent_until = until
            abonnement.save(update_fields=["sent_until"])
            sent += 1
    # Nothing happened in their zone: no mail, but their day is done.
    matching.due_digests(until).exclude(pk__in=list(events)).update(sent_until=until)
    return sent
