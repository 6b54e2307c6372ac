from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone

from .acces import expire_grants
from .models import Comite, Rappel, Reunion


@shared_task(
    name="gouvernance.send_comite_reminders", autoretry_for=(OSError,), max_retries=3, retry_backoff=600
)
def send_comite_reminders(today=None):
    """Daily: remind the members of each committee whose next meeting is close; once per meeting.

    The Rappel row is inserted in the same transaction as the sending: a mail server failure
    rolls it back (the retry or tomorrow's run sends it), and its unique key stops a second
    worker or a second run from mailing the members again.
    """
    today = date.fromisoformat(today) if isinstance(today, str) else (today or timezone.localdate())
    sent = 0
    for comite in Comite.objects.prefetch_related("membres"):
        day = comite.next_meeting(today)
        if day is None or not today <= day <= today + timedelta(days=comite.rappel_jours):
            continue
        recipients = sorted({m.email for m in comite.membres.all() if m.is_active and m.email})
        if not recipients:
            continue
        with transaction.atomic():
            _, created = Rappel.objects.get_or_create(
                comite=comite, date_reunion=day, defaults={"destinataires": len(recipients)}
            )
            if not created:
                continue
            subject, body = _message(comite, day)
            # One message per member: nobody receives the others' addresses.
            send_mass_mail([(subject, body, None, [r]) for r in recipients], fail_silently=False)
        sent += 1
    return sent


def _message(comite, day):
    reunion = Reunion.objects.filter(comite=comite, date=day).first()
    subject = f"{comite.nom} : prochaine réunion le {formats.date_format(day, 'j F Y')}"
    body = render_to_string(
        "gouvernance/email/rappel_comite.txt",
        {
            "comite": comite,
            "date": day,
            "reunion": reunion,
            "planned": reunion is not None,
            "url": settings.SITE_URL + comite.get_absolute_url(),
        },
    )
    return subject, body


@shared_task(name="gouvernance.expire_access")
def expire_access():
    """Nightly: access grants past their end date are marked expired, with a history row."""
    return expire_grants()
