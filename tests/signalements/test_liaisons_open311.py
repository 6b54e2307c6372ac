"""Open311 both ways against a second, real instance of this portal acting as the service's system.

Our Celery worker (real, on Redis) files the forwarded report on their Open311 server with the
Envoi's Idempotency-Key, polls their state and follows it; their gunicorn is killed and restarted
to prove that a send during an outage is retried, recorded, and never filed twice.
"""

import time
from datetime import timedelta

import pytest
import requests
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from observatoire.celery import app
from signalements import services, workflow
from signalements.enums import Status
from signalements.liaisons import outbox
from signalements.liaisons.models import Envoi, EtatEnvoi, Liaison, Mode
from signalements.liaisons.suivi import poll_open311
from signalements.models import Historique, Question

from .conftest import VIEUX_PORT
from .liaisons_service import ServiceInstance

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def their_portal():
    instance = ServiceInstance()
    instance.prepare()
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def liaison(their_portal, service_marseille):
    if their_portal.process is None:
        their_portal.start()
    return Liaison.objects.create(
        service=service_marseille,
        mode=Mode.OPEN311,
        open311_url=their_portal.base_url.rstrip("/"),  # typed without its final slash: still fine
        open311_api_key=their_portal.api_key,
        open311_jurisdiction="13055",
        open311_codes={"proprete": "proprete"},
    )


@pytest.fixture
def worker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def forward(report, gestionnaire):
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire, note="Pour la propreté.")
    return Envoi.objects.get(signalement=report)


def wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def their_request(their_portal, reference):
    response = requests.get(f"{their_portal.base_url}requests/{reference}.json", timeout=10)
    response.raise_for_status()
    return response.json()[0]


def test_forwarded_report_is_filed_on_their_server_and_follows_their_workflow(
    their_portal, liaison, report, gestionnaire, worker
):
    before = len(their_portal.reports())
    envoi = forward(report, gestionnaire)
    # The worker picks the task published on commit and files it over there.
    assert wait_for(lambda: Envoi.objects.get(pk=envoi.pk).etat == EtatEnvoi.ENVOYE)
    envoi.refresh_from_db()
    assert envoi.attempts == 1 and envoi.last_error == ""
    assert envoi.reference_externe and envoi.etat_externe == "open · Signalement déposé."
    theirs = their_portal.reports()
    assert len(theirs) == before + 1
    filed = next(row for row in theirs if str(row["pk"]) == envoi.reference_externe)
    # The text reaches them, the reporter's e-mail does not.
    assert filed["description"] == report.description
    assert filed["reporter_email"] == ""
    assert filed["status"] == Status.NOUVEAU

    # Nothing happened over there yet: polling changes nothing here.
    assert app.send_task("signalements.liaisons.poll_open311").get(timeout=30) == 0
    report.refresh_from_db()
    assert report.status == Status.TRANSMIS

    their_portal.move(int(envoi.reference_externe), ("transmis", "Équipe du secteur 2 prévenue."))
    theirs = their_request(their_portal, envoi.reference_externe)
    assert theirs["status_notes"] == "Équipe du secteur 2 prévenue."
    assert app.send_task("signalements.liaisons.poll_open311").get(timeout=30) == 1
    report.refresh_from_db()
    assert report.status == Status.PRIS_EN_CHARGE
    entry = report.historique.order_by("-at", "-pk").first()
    assert entry.is_public and entry.by is None
    assert entry.note == "Mis à jour par Propreté Marseille : Équipe du secteur 2 prévenue."

    # Polled again with nothing new: applied once only.
    entries = Historique.objects.filter(signalement=report).count()
    assert poll_open311() == 0
    assert Historique.objects.filter(signalement=report).count() == entries

    their_portal.move(
        int(envoi.reference_externe),
        ("pris_en_charge", ""),
        ("resolu", "Dépôt enlevé ce matin."),
    )
    assert their_request(their_portal, envoi.reference_externe)["status"] == "closed"
    assert poll_open311() == 1
    report.refresh_from_db()
    assert report.status == Status.RESOLU
    assert report.historique.order_by("-at", "-pk").first().note == (
        "Mis à jour par Propreté Marseille : Dépôt enlevé ce matin."
    )
    # A resolved report is no longer followed.
    assert poll_open311() == 0


def test_outage_is_recorded_retried_later_and_filed_once(their_portal, liaison, report, gestionnaire, worker):
    before = len(their_portal.reports())
    their_portal.stop()
    envoi = forward(report, gestionnaire)
    assert wait_for(lambda: Envoi.objects.get(pk=envoi.pk).attempts == 1)
    envoi.refresh_from_db()
    assert envoi.etat == EtatEnvoi.ECHEC
    assert "injoignable" in envoi.last_error
    assert envoi.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # Not due yet: the beat sweep leaves it alone.
    assert app.send_task("signalements.liaisons.send_due_envois").get(timeout=30) == 0

    their_portal.start()
    Envoi.objects.filter(pk=envoi.pk).update(next_attempt_at=timezone.now())  # the backoff elapsed
    assert app.send_task("signalements.liaisons.send_due_envois").get(timeout=30) == 1
    envoi.refresh_from_db()
    assert (envoi.etat, envoi.attempts, envoi.last_error) == (EtatEnvoi.ENVOYE, 2, "")
    assert len(their_portal.reports()) == before + 1

    # Their answer lost on the way (we never recorded it): sent again under the same key,
    # their Open311 server answers with the report it already has instead of filing another.
    reference = envoi.reference_externe
    Envoi.objects.filter(pk=envoi.pk).update(etat=EtatEnvoi.EN_ATTENTE, reference_externe="")
    assert outbox.send(envoi.pk) is True
    envoi.refresh_from_db()
    assert envoi.reference_externe == reference
    assert len(their_portal.reports()) == before + 1


def test_down_for_good_is_abandoned_then_retried_by_a_person(their_portal, liaison, report, gestionnaire):
    their_portal.stop()
    envoi = forward(report, gestionnaire)  # no worker: the sweep does the work
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        Envoi.objects.filter(pk=envoi.pk).update(next_attempt_at=timezone.now())
        assert outbox.send(envoi.pk) is False
        envoi.refresh_from_db()
        assert envoi.attempts == attempt
    assert envoi.etat == EtatEnvoi.ABANDONNE
    assert outbox.send(envoi.pk) is False  # abandoned: no more automatic attempts

    their_portal.start()
    assert outbox.retry(envoi) is True
    assert outbox.send(envoi.pk) is True
    envoi.refresh_from_db()
    assert (envoi.etat, envoi.attempts) == (EtatEnvoi.ENVOYE, 1)


def test_refusal_by_their_server_is_abandoned_at_once_with_their_reason(
    their_portal, liaison, report, gestionnaire
):
    Liaison.objects.filter(pk=liaison.pk).update(open311_api_key="pas-la-bonne-cle")
    envoi = forward(report, gestionnaire)
    assert outbox.send(envoi.pk) is False
    envoi.refresh_from_db()
    assert envoi.etat == EtatEnvoi.ABANDONNE and envoi.attempts == 1
    assert "(403)" in envoi.last_error and "api_key" in envoi.last_error


def test_only_the_attributes_their_service_declares_are_sent(
    their_portal, liaison, marseille_setup, categories, gestionnaire
):
    for code, libelle in (("volume", "Volume estimé"), ("acces", "Accès au dépôt")):
        Question.objects.create(categorie=categories["proprete"], code=code, libelle=libelle)
    report = services.file_signalement(
        user=AnonymousUser(),
        categorie=categories["proprete"],
        description="Gravats devant l'école.",
        reponses={"volume": "2 m³", "acces": "derrière le portail"},
        **VIEUX_PORT,
    )
    envoi = forward(report, gestionnaire)
    assert outbox.send(envoi.pk) is True
    envoi.refresh_from_db()
    filed = next(row for row in their_portal.reports() if str(row["pk"]) == envoi.reference_externe)
    assert filed["reponses"] == {"volume": "2 m³"}
