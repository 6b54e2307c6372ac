"""A report filed while Redis is down is kept; its e-mail goes out once the broker is back."""

import shutil
import socket
import subprocess
import time

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from observatoire.celery import app
from signalements import services
from signalements.models import Notification, Signalement
from signalements.tasks import send_pending_notifications

from .conftest import VIEUX_PORT


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throw-away redis-server that the test can stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def reconnect():
    """Close and drop Celery's cached connections so the next call uses the current broker URL."""
    backend = vars(app._local).get("backend")
    if backend is not None:
        consumer = getattr(backend, "result_consumer", None)
        if consumer is not None:
            consumer.stop()
        client = getattr(backend, "client", None)
        if client is not None:
            client.connection_pool.disconnect()
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    vars(app._local).pop("backend", None)


@pytest.fixture
def broker():
    server = RedisServer()
    server.start()
    previous = (app.conf.broker_url, app.conf.result_backend)
    app.conf.broker_url = app.conf.result_backend = server.url
    app.conf.broker_connection_retry = False
    reconnect()
    yield server
    if server.process.poll() is None:
        server.stop()
    app.conf.broker_url, app.conf.result_backend = previous
    app.conf.broker_connection_retry = True
    reconnect()


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
