"""Immediate alerts and daily digests: who gets what, once, with only public content."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from observatoire.celery import app
from signalements import workflow
from signalements.alertes import mails
from signalements.alertes import services as alertes
from signalements.alertes.matching import NOUVEAU, RESOLU
from signalements.alertes.models import Frequence
from signalements.enums import Status
from signalements.models import Notification, Signalement
from signalements.tasks import send_pending_notifications

from .alertes_data import SECRET, abonnement, arrondissement, autour, file_report
from .conftest import AIX_CENTRE, VIEUX_PORT


def alert_mails():
    return list(Notification.objects.exclude(subject__startswith="Signalement S-").order_by("recipient"))


def test_new_report_alerts_the_matching_confirmed_subscriptions_only(marseille_setup, aix, categories):
    marseille = abonnement("commune@exemple.fr", commune=marseille_setup)
    abonnement("aix@exemple.fr", commune=aix)
    abonnement("non-confirme@exemple.fr", commune=marseille_setup, confirmed=False)
    abonnement("desabonne@exemple.fr", commune=marseille_setup, unsubscribed_at=timezone.now())
    abonnement("resolus-seulement@exemple.fr", commune=marseille_setup, nouveaux=False, resolus=True)
    abonnement("quotidien@exemple.fr", commune=marseille_setup, frequence=Frequence.QUOTIDIENNE)
    abonnement(
        "2e-arrondissement@exemple.fr", zone_type="arrondissement", arrondissement=arrondissement("13202")
    )
    abonnement(
        "1er-arrondissement@exemple.fr", zone_type="arrondissement", arrondissement=arrondissement("13201")
    )
    autour(VIEUX_PORT["lon"] + 0.004, VIEUX_PORT["lat"], 400, email="a-400m@exemple.fr")  # ~320 m east
    autour(VIEUX_PORT["lon"] + 0.004, VIEUX_PORT["lat"], 200, email="a-200m@exemple.fr")

    report = file_report(categories)  # at the Vieux-Port, in the 1st arrondissement
    assert alertes.send_alerts(report.pk, NOUVEAU) == 3

    assert [n.recipient for n in alert_mails()] == [
        "1er-arrondissement@exemple.fr",
        "a-400m@exemple.fr",
        "commune@exemple.fr",
    ]
    notification = Notification.objects.get(recipient=marseille.email)
    assert notification.signalement == report
    assert notification.subject == "Nouveau signalement à Marseille : Propreté"


def test_alert_is_idempotent(marseille_setup, categories):
    abonnement("une-fois@exemple.fr", commune=marseille_setup)
    report = file_report(categories)
    assert alertes.send_alerts(report.pk, NOUVEAU) == 1
    # A retried task, then the beat sweep: nothing twice.
    assert alertes.send_alerts(report.pk, NOUVEAU) == 0
    assert sum(alertes.send_alerts(pk, kind) for pk, kind in alertes.recent_events()) == 0
    assert Notification.objects.filter(recipient="une-fois@exemple.fr").count() == 1


def test_alert_has_only_public_content_and_one_click_unsubscribe(marseille_setup, categories):
    sub = abonnement("voisin@exemple.fr", commune=marseille_setup)
    report = file_report(categories)
    alertes.send_alerts(report.pk, NOUVEAU)
    assert send_pending_notifications() >= 1
    message = next(m for m in mail.outbox if m.to == ["voisin@exemple.fr"])
    # Never the unvalidated description, never the reporter.
    assert SECRET not in message.body
    assert "auteur.prive" not in message.body
    assert report.reference in message.body
    # Position rounded to the public grid (4 decimals), not the 6 typed.
    assert "43.2951, 5.3741" in message.body
    url = f"http://127.0.0.1:8000/signalements/alertes/desabonnement/{sub.token}/"
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{url}>, <mailto:")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body
    rendered = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in rendered


def test_validated_description_is_published(marseille_setup, categories):
    abonnement("voisin@exemple.fr", commune=marseille_setup, nouveaux=False, resolus=True)
    report = file_report(categories, description="Sacs éventrés devant l'école.")
    Signalement.objects.filter(pk=report.pk).update(
        description_validee=True, status=Status.RESOLU, resolved_at=timezone.now()
    )
    alertes.send_alerts(report.pk, RESOLU)
    assert "« Sacs éventrés devant l'école. »" in Notification.objects.get(recipient="voisin@exemple.fr").body


def test_resolution_alerts_through_the_workflow(
    marseille_setup, categories, gestionnaire, service_agent, django_capture_on_commit_callbacks
):
    abonnement("resolus@exemple.fr", commune=marseille_setup, nouveaux=False, resolus=True)
    report = file_report(categories)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
        workflow.transition(report, Status.PRIS_EN_CHARGE, user=service_agent)
        workflow.transition(report, Status.RESOLU, user=service_agent)
    assert callbacks  # the mails and the alert task, published once committed
    # What the scheduled task does, run here: the subscriber of resolved reports is told.
    assert alertes.send_alerts(report.pk, RESOLU) == 1
    assert Notification.objects.get(recipient="resolus@exemple.fr").subject.startswith("Signalement résolu")
    # Not for the new report: this subscription asked for resolved ones only.
    assert alertes.send_alerts(report.pk, NOUVEAU) == 0


def test_spam_is_never_alerted(marseille_setup, categories):
    abonnement("voisin@exemple.fr", commune=marseille_setup)
    report = file_report(categories)
    Signalement.objects.filter(pk=report.pk).update(rejection_reason="spam", status=Status.REJETE)
    assert alertes.send_alerts(report.pk, NOUVEAU) == 0


def test_daily_digest_once_per_day(marseille_setup, categories, aix):
    until = alertes.digest_cutoff()
    yesterday = until - timedelta(hours=10)
    daily = abonnement(
        "quotidien@exemple.fr", commune=marseille_setup, frequence=Frequence.QUOTIDIENNE, resolus=True
    )
    quiet = abonnement("calme@exemple.fr", commune=aix, frequence=Frequence.QUOTIDIENNE)
    autour(**VIEUX_PORT, rayon_m=300, email="rayon-quotidien@exemple.fr", frequence=Frequence.QUOTIDIENNE)
    type(daily).objects.update(sent_until=until - timedelta(days=1), confirmed_at=until - timedelta(days=2))
    first, second = file_report(categories), file_report(categories, description="Autre dépôt.")
    resolved = file_report(categories, description="Résolu hier.")
    Signalement.objects.filter(pk__in=[first.pk, second.pk, resolved.pk]).update(created_at=yesterday)
    Signalement.objects.filter(pk=first.pk).update(created_at=yesterday - timedelta(hours=1))
    Signalement.objects.filter(pk=resolved.pk).update(
        status=Status.RESOLU, resolved_at=yesterday + timedelta(hours=1)
    )
    today = file_report(categories, description="Aujourd'hui : pour le résumé de demain.")

    assert alertes.send_digests(until) == 2
    digest = Notification.objects.get(recipient="quotidien@exemple.fr")
    assert digest.signalement is None
    assert "Nouveaux signalements (3)" in digest.body
    assert "Signalements résolus (1)" in digest.body
    assert today.reference not in digest.body
    assert SECRET not in digest.body
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Signalements résolus" not in Notification.objects.get(recipient="rayon-quotidien@exemple.fr").body
    # Nothing in Aix: no mail, but the day is done for it too.
    assert not Notification.objects.filter(recipient="calme@exemple.fr").exists()
    quiet.refresh_from_db()
    assert quiet.sent_until == until
    # A busy zone: the latest ones listed, all counted.
    mails.DIGEST_ITEMS = 2
    try:
        busy = abonnement("occupe@exemple.fr", commune=marseille_setup, frequence=Frequence.QUOTIDIENNE)
        type(busy).objects.filter(pk=busy.pk).update(sent_until=until - timedelta(days=1))
        alertes.send_digests(until)
    finally:
        mails.DIGEST_ITEMS = 50
    body = Notification.objects.get(recipient="occupe@exemple.fr").body
    assert "Nouveaux signalements (3) : les 2 derniers" in body
    assert first.reference not in body and resolved.reference in body
    # Beat running twice the same day sends nothing more.
    assert alertes.send_digests(until) == 0
    assert Notification.objects.filter(recipient="quotidien@exemple.fr").count() == 1


def test_subscription_confirmed_after_a_report_gets_no_alert_about_it(marseille_setup, categories):
    report = file_report(categories)
    sub = abonnement("tardif@exemple.fr", commune=marseille_setup)
    type(sub).objects.filter(pk=sub.pk).update(confirmed_at=timezone.now())
    assert alertes.send_alerts(report.pk, NOUVEAU) == 0


def test_filing_away_from_any_subscription_sends_nothing(marseille_setup, categories, open_category, aix):
    abonnement("marseille@exemple.fr", commune=marseille_setup)
    open_category(aix, categories["proprete"])
    report = file_report(categories, **AIX_CENTRE)
    assert alertes.send_alerts(report.pk, NOUVEAU) == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_filing_alerts_through_a_real_celery_worker(marseille_setup, categories):
    abonnement("worker@exemple.fr", commune=marseille_setup)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # Filing commits: the alert task goes to Redis, the worker queues the mail, then sends it.
        report = file_report(categories)
        sent = Notification.objects.filter(recipient="worker@exemple.fr", sent_at__isnull=False)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not sent.exists():
            time.sleep(0.1)
    assert sent.get().signalement_id == report.pk
    assert any(m.to == ["worker@exemple.fr"] for m in mail.outbox)


def test_report_filed_through_open311_is_alerted_by_the_beat_sweep(client, marseille_setup, categories):
    """Filed through Open311 while no worker ran: the sweep sends what the broker never delivered."""
    from signalements.alertes.tasks import sweep_immediate_alerts
    from signalements.models import ApiKey

    abonnement("open311@exemple.fr", commune=marseille_setup)
    key = ApiKey.objects.create(name="Application de test")
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key.key,
            "service_code": "proprete",
            "lat": str(VIEUX_PORT["lat"]),
            "long": str(VIEUX_PORT["lon"]),
            "description": SECRET,
            "email": "auteur.prive@exemple.fr",
        },
    )
    assert response.status_code == 200, response.content
    assert sweep_immediate_alerts() == 1
    assert sweep_immediate_alerts() == 0
    body = Notification.objects.get(recipient="open311@exemple.fr").body
    assert SECRET not in body and "auteur.prive" not in body
