"""A report filed while Redis is down is kept; its e-mail goes out once the broker is back."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from observatoire.celery import app
from signalements import services
from signalements.models import Notification, Signalement
from signalements.tasks import send_pending_notifications

from .conftest import VIEUX_PORT
from .redis_server import RedisServer, celery_on, reconnect


@pytest.fixture
def broker():
    server = RedisServer()
    server.start()
    with celery_on(server):
        yield server
    server.stop()


def file(marseille_setup, categories, email):
    return services.file_signalement(
        user=AnonymousUser(),
        categorie=categories["proprete"],
        description="Dépôt.",
        email=email,
        **VIEUX_PORT,
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_notification_goes_out_after_a_broker_outage(broker, marseille_setup, categories):
    broker.stop()
    report = file(marseille_setup, categories, "pendant-la-panne@exemple.fr")
    # The report is saved although the broker is unreachable; its mail waits in the outbox.
    assert Signalement.objects.filter(pk=report.pk).exists()
    notification = Notification.objects.get(signalement=report)
    assert notification.sent_at is None
    assert mail.outbox == []

    broker.start()
    reconnect()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = app.send_task("signalements.send_pending_notifications")
        assert result.get(timeout=20) == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert [m.to for m in mail.outbox] == [["pendant-la-panne@exemple.fr"]]


def test_sweep_is_idempotent(marseille_setup, categories):
    file(marseille_setup, categories, "une-fois@exemple.fr")
    assert send_pending_notifications() == 1
    assert send_pending_notifications() == 0
    assert len(mail.outbox) == 1
