"""The outbox of sends: created with the forwarding whatever the path (back office, API), gone with
its rollback, published on commit, and never sent twice at once."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.urls import reverse

from observatoire.celery import app
from signalements import services, workflow
from signalements.enums import Status
from signalements.liaisons import outbox
from signalements.liaisons.models import Envoi, EtatEnvoi, Liaison, Mode
from signalements.liaisons.suivi import poll_open311
from signalements.models import Notification, Signalement

from .conftest import VIEUX_PORT

# Nobody listens there: a send attempt fails at once, which these tests do not need anyway.
NOWHERE = "http://127.0.0.1:9/signalements"


@pytest.fixture
def liaison(service_marseille):
    return Liaison.objects.create(service=service_marseille, mode=Mode.WEBHOOK, webhook_url=NOWHERE)


def test_forwarded_from_the_back_office_form(
    client, liaison, report, gestionnaire, django_capture_on_commit_callbacks
):
    client.force_login(gestionnaire)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("signalements:gestion-transition", kwargs={"pk": report.pk}),
            {"to_status": "transmis", "service": liaison.service_id, "is_public": "on"},
        )
    assert response.status_code == 302
    envoi = Envoi.objects.get(signalement=report)
    assert (envoi.service_id, envoi.mode, envoi.etat) == (
        liaison.service_id,
        Mode.WEBHOOK,
        EtatEnvoi.EN_ATTENTE,
    )
    # One callback publishes the send task (the reporter's status e-mail has its own).
    assert len(callbacks) == 2
    assert not Notification.objects.filter(recipient="proprete@exemple.fr").exists()


def test_forwarded_through_the_api(client, liaison, report, gestionnaire):
    client.force_login(gestionnaire)
    response = client.post(
        f"/api/v1/signalements/{report.pk}/transitions/",
        {"to_status": "transmis"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Envoi.objects.filter(signalement=report, service=liaison.service).count() == 1


def test_a_rolled_back_forwarding_leaves_no_send(liaison, report, gestionnaire):
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
        raise RuntimeError
    assert not Envoi.objects.exists()


def test_forwarded_again_to_the_same_service_is_not_sent_twice(liaison, report, gestionnaire):
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    workflow.transition(report, Status.EN_ANALYSE, user=gestionnaire)
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    assert Envoi.objects.filter(signalement=report).count() == 1


def test_an_inactive_link_means_email(liaison, report, gestionnaire):
    Liaison.objects.filter(pk=liaison.pk).update(is_active=False)
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    assert not Envoi.objects.exists()
    assert Notification.objects.filter(recipient="proprete@exemple.fr").exists()


def test_a_link_deactivated_after_forwarding_abandons_the_send(liaison, report, gestionnaire):
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    Liaison.objects.filter(pk=liaison.pk).update(is_active=False)
    envoi = Envoi.objects.get(signalement=report)
    assert outbox.send(envoi.pk) is False
    envoi.refresh_from_db()
    assert envoi.etat == EtatEnvoi.ABANDONNE and "désactivée" in envoi.last_error


@pytest.mark.django_db(transaction=True)
def test_a_send_in_progress_elsewhere_is_skipped_not_waited_for(liaison, report, gestionnaire):
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    envoi = Envoi.objects.get(signalement=report)
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            Envoi.objects.select_for_update().get(pk=envoi.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert locked.wait(10)
    try:
        assert outbox.send(envoi.pk) is False  # skip_locked: returns at once
        assert Envoi.objects.get(pk=envoi.pk).attempts == 0
    finally:
        release.set()
        thread.join()
    assert outbox.send(envoi.pk) is False  # now really tried: nobody listens at NOWHERE
    assert Envoi.objects.get(pk=envoi.pk).attempts == 1


class Overloaded(BaseHTTPRequestHandler):
    """An Open311 server that answers 503 to everything, and counts."""

    hits = 0

    def do_GET(self):
        Overloaded.hits += 1
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_polling_asks_a_failing_server_once_a_round(service_marseille, report, marseille_setup, categories):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Overloaded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Overloaded.hits = 0
    try:
        Liaison.objects.create(
            service=service_marseille,
            mode=Mode.OPEN311,
            open311_url=f"http://127.0.0.1:{server.server_address[1]}/v2/",
        )
        second = services.file_signalement(
            user=AnonymousUser(), categorie=categories["proprete"], description="Autre dépôt.", **VIEUX_PORT
        )
        for number, filed in enumerate((report, second), start=1):
            Signalement.objects.filter(pk=filed.pk).update(status=Status.TRANSMIS, service=service_marseille)
            Envoi.objects.create(
                signalement=filed,
                service=service_marseille,
                mode=Mode.OPEN311,
                etat=EtatEnvoi.ENVOYE,
                reference_externe=str(number),
                etat_externe="open · Nouveau",
            )
        assert poll_open311() == 0
        assert Overloaded.hits == 1
        assert set(Envoi.objects.values_list("etat_externe", flat=True)) == {"open · Nouveau"}
    finally:
        server.shutdown()
        server.server_close()


def test_beat_sends_due_envois_every_minute_and_polls_their_servers():
    schedule = app.conf.beat_schedule
    assert schedule["signalements-liaisons-envois"] == {
        "task": "signalements.liaisons.send_due_envois",
        "schedule": 60.0,
    }
    assert schedule["signalements-liaisons-suivi"]["task"] == "signalements.liaisons.poll_open311"
    assert {"signalements.liaisons.send_envoi", "signalements.liaisons.send_due_envois"} <= set(app.tasks)
