"""Retention of personal data and rate limiting of anonymous filing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from signalements import services, workflow
from signalements.enums import RejectionReason, Status
from signalements.models import Notification, Signalement, Soutien
from signalements.tasks import purge_personal_data

from .conftest import VIEUX_PORT


@pytest.fixture
def closed_report(marseille_setup, categories, gestionnaire):
    report = services.file_signalement(
        user=AnonymousUser(),
        categorie=categories["proprete"],
        description="Dépôt.",
        email="a-effacer@exemple.fr",
        ip="192.0.2.10",
        **VIEUX_PORT,
    )
    services.support(report, gestionnaire)
    workflow.transition(report, Status.REJETE, user=gestionnaire, reason=RejectionReason.HORS_COMPETENCE)
    return report


def test_personal_data_is_erased_twelve_months_after_closure(closed_report):
    assert purge_personal_data() == 0  # closed today: kept
    Signalement.objects.filter(pk=closed_report.pk).update(closed_at=timezone.now() - timedelta(days=370))
    assert purge_personal_data() == 1
    closed_report.refresh_from_db()
    assert closed_report.reporter_email == "" and closed_report.reporter_ip is None
    assert closed_report.personal_data_purged_at is not None
    assert closed_report.description == "Dépôt."  # the report itself stays
    assert not Notification.objects.filter(signalement=closed_report).exists()
    assert Soutien.objects.get(signalement=closed_report).user is None
    assert purge_personal_data() == 0  # idempotent


def test_open_reports_are_never_purged(marseille_setup, categories):
    report = services.file_signalement(
        user=AnonymousUser(),
        categorie=categories["proprete"],
        description="x",
        email="garde@exemple.fr",
        **VIEUX_PORT,
    )
    Signalement.objects.filter(pk=report.pk).update(closed_at=timezone.now() - timedelta(days=800))
    assert purge_personal_data() == 0


def test_anonymous_filing_is_rate_limited_per_ip(client, marseille_setup, categories, settings):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 2
    payload = {**VIEUX_PORT, "categorie": "proprete", "description": "Encombrants."}
    for _ in range(2):
        assert (
            client.post("/api/v1/signalements/", payload, content_type="application/json").status_code == 201
        )
    refused = client.post("/api/v1/signalements/", payload, content_type="application/json")
    assert refused.status_code == 429
    assert "Trop de signalements envoyés depuis votre connexion" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    # The web form shares the same counter and says it in French.
    form = client.post(
        "/signalements/nouveau/",
        {
            "lat": VIEUX_PORT["lat"],
            "lon": VIEUX_PORT["lon"],
            "categorie": categories["proprete"].pk,
            "description": "x",
        },
    )
    assert form.status_code == 429
    assert "Trop de signalements envoyés depuis votre connexion" in form.content.decode()
    assert Signalement.objects.count() == 2
    # Another address is not affected.
    other = client.post(
        "/api/v1/signalements/", payload, content_type="application/json", REMOTE_ADDR="192.0.2.99"
    )
    assert other.status_code == 201


def test_signed_in_users_are_not_held_to_the_anonymous_limit(client, marseille_setup, settings, gestionnaire):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 1
    client.force_login(gestionnaire)
    payload = {**VIEUX_PORT, "categorie": "proprete", "description": "Encombrants."}
    for _ in range(3):
        assert (
            client.post("/api/v1/signalements/", payload, content_type="application/json").status_code == 201
        )
