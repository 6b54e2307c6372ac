"""The state machine: allowed transitions per role and scope, history, side fields, reopening."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from observatoire.accounts.enums import Role
from signalements import services, workflow
from signalements.enums import RejectionReason, Status
from signalements.models import Historique, Notification
from signalements.workflow import TransitionError
from tests.factories import UserFactory

from .conftest import VIEUX_PORT

S = Status


def walk(report, *steps):
    for status, user, extra in steps:
        workflow.transition(report, status, user=user, **extra)


def test_full_happy_path_appends_history_and_uses_the_routing_table(
    report, gestionnaire, service_agent, service_marseille
):
    walk(
        report,
        (S.EN_ANALYSE, gestionnaire, {}),
        (S.TRANSMIS, gestionnaire, {"note": "Merci, transmis."}),
        (S.PRIS_EN_CHARGE, service_agent, {}),
        (S.PLANIFIE, service_agent, {"note": "Intervention jeudi."}),
        (S.RESOLU, service_agent, {}),
        (S.CLOS, gestionnaire, {}),
    )
    report.refresh_from_db()
    assert report.status == S.CLOS
    assert report.service == service_marseille  # proposed by the routing table
    assert report.resolved_at is not None and report.closed_at is not None
    assert list(report.historique.values_list("from_status", "to_status")) == [
        ("", S.NOUVEAU),
        (S.NOUVEAU, S.EN_ANALYSE),
        (S.EN_ANALYSE, S.TRANSMIS),
        (S.TRANSMIS, S.PRIS_EN_CHARGE),
        (S.PRIS_EN_CHARGE, S.PLANIFIE),
        (S.PLANIFIE, S.RESOLU),
        (S.RESOLU, S.CLOS),
    ]
    # The service got the forwarded report; the reporter one mail per public change, and the
    # invitation to give an opinion once resolved.
    assert Notification.objects.filter(recipient="proprete@exemple.fr").count() == 1
    assert Notification.objects.filter(recipient="habitant@exemple.fr").count() == 8


@pytest.mark.parametrize(
    ("role", "communes", "may_triage"),
    [
        (Role.GESTIONNAIRE_SIGNALEMENTS, [], True),
        (Role.GESTIONNAIRE_SIGNALEMENTS, ["13055"], True),
        (Role.GESTIONNAIRE_SIGNALEMENTS, ["13001"], False),
        (Role.AGENT_COMMUNAL, ["13055"], False),
        (Role.ADMIN_COMMUNAL, ["13055"], False),
        (Role.ELU, [], False),
        (Role.CITOYEN, [], False),
        (Role.SUPERADMIN, [], True),
    ],
)
def test_who_may_triage(report, marseille, aix, role, communes, may_triage):
    scope = [c for c in (marseille, aix) if c.insee in communes]
    user = UserFactory(role=role, communes=scope, is_superuser=role == Role.SUPERADMIN)
    if may_triage:
        workflow.transition(report, S.EN_ANALYSE, user=user)
        assert report.status == S.EN_ANALYSE
    else:
        with pytest.raises(TransitionError, match="pas le droit"):
            workflow.transition(report, S.EN_ANALYSE, user=user)
        assert report.status == S.NOUVEAU
        assert report.historique.count() == 1


def test_only_members_of_the_service_act_on_a_forwarded_report(report, gestionnaire, service_agent):
    walk(report, (S.TRANSMIS, gestionnaire, {}))
    outsider = UserFactory(role=Role.AGENT_METROPOLITAIN)
    with pytest.raises(TransitionError):
        workflow.transition(report, S.PRIS_EN_CHARGE, user=outsider)
    with pytest.raises(TransitionError):
        workflow.transition(report, S.PRIS_EN_CHARGE, user=gestionnaire)
    workflow.transition(report, S.PRIS_EN_CHARGE, user=service_agent)
    assert report.status == S.PRIS_EN_CHARGE


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], S.RESOLU),
        ([], S.CLOS),
        ([], S.PRIS_EN_CHARGE),
        ([S.EN_ANALYSE], S.PLANIFIE),
        ([S.EN_ANALYSE], S.NOUVEAU),
    ],
)
def test_transitions_outside_the_table_are_refused(report, gestionnaire, path, target):
    for status in path:
        workflow.transition(report, status, user=gestionnaire)
    with pytest.raises(TransitionError, match="Impossible de passer"):
        workflow.transition(report, target, user=gestionnaire)


def test_rejection_needs_a_reason_and_keeps_it(report, gestionnaire):
    with pytest.raises(TransitionError, match="motif"):
        workflow.transition(report, S.REJETE, user=gestionnaire)
    workflow.transition(report, S.REJETE, user=gestionnaire, reason=RejectionReason.HORS_COMPETENCE)
    assert report.rejection_reason == RejectionReason.HORS_COMPETENCE
    assert report.closed_at is not None


def test_duplicate_points_to_its_parent(report, gestionnaire, categories):
    original = services.file_signalement(
        user=AnonymousUser(), categorie=categories["proprete"], description="Même dépôt.", **VIEUX_PORT
    )
    with pytest.raises(TransitionError, match="signalement original"):
        workflow.transition(report, S.DOUBLON, user=gestionnaire, parent=report)
    workflow.transition(report, S.DOUBLON, user=gestionnaire, parent=original)
    assert report.parent == original
    assert list(original.doublons.all()) == [report]


def test_forwarding_without_a_service_is_refused(marseille, categories, open_category, gestionnaire):
    open_category(marseille, categories["voirie"])  # no service in the routing table
    report = services.file_signalement(
        user=AnonymousUser(), categorie=categories["voirie"], description="Nid-de-poule.", **VIEUX_PORT
    )
    with pytest.raises(TransitionError, match="Aucun service compétent"):
        workflow.transition(report, S.TRANSMIS, user=gestionnaire)


def test_reporter_reopens_within_30_days_with_the_token_only(report, gestionnaire, service_agent, client):
    walk(
        report,
        (S.TRANSMIS, gestionnaire, {}),
        (S.PRIS_EN_CHARGE, service_agent, {}),
        (S.RESOLU, service_agent, {}),
    )
    with pytest.raises(TransitionError):
        workflow.transition(report, S.REOUVERT, user=AnonymousUser(), token="mauvais-jeton")
    page = client.get(report.get_tracking_url()).content.decode()
    # Until an opinion is given, the opinion form (whose « non » reopens) stands for the reopen form.
    assert "Le problème est-il réglé ?" in page
    response = client.post(f"{report.get_tracking_url()}rouvrir/", {"note": "Toujours là."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.REOUVERT
    assert report.closed_at is None
    # Back to triage.
    workflow.transition(report, S.EN_ANALYSE, user=gestionnaire)


def test_reopening_after_30_days_is_refused(report, gestionnaire, service_agent):
    walk(
        report,
        (S.TRANSMIS, gestionnaire, {}),
        (S.PRIS_EN_CHARGE, service_agent, {}),
        (S.RESOLU, service_agent, {}),
    )
    type(report).objects.filter(pk=report.pk).update(resolved_at=timezone.now() - timedelta(days=31))
    with pytest.raises(TransitionError, match="délai de 30 jours"):
        workflow.transition(report, S.REOUVERT, token=report.token)


def test_internal_notes_stay_off_the_tracking_page(report, gestionnaire, client):
    workflow.transition(
        report, S.EN_ANALYSE, user=gestionnaire, note="Riverain connu du service.", is_public=False
    )
    page = client.get(report.get_tracking_url()).content.decode()
    assert "Riverain connu" not in page
    assert Historique.objects.filter(is_public=False).count() == 1
    assert not Notification.objects.filter(subject__contains="analyse").exists()


def test_api_transition_refused_gives_a_json_403(report, client):
    client.force_login(UserFactory(role=Role.CITOYEN))
    response = client.post(
        f"/api/v1/signalements/{report.pk}/transitions/",
        {"to_status": "en_analyse"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "pas le droit" in response.json()["detail"]


def test_api_transition_by_the_gestionnaire(report, gestionnaire, client):
    client.force_login(gestionnaire)
    response = client.post(
        f"/api/v1/signalements/{report.pk}/transitions/",
        {"to_status": "rejete", "reason": "spam", "note": "Message sans rapport."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejete"


def test_the_reporter_is_told_the_new_status_with_the_tracking_link(report, gestionnaire, settings):
    workflow.transition(report, S.EN_ANALYSE, user=gestionnaire)
    mail = Notification.objects.filter(recipient="habitant@exemple.fr").latest("pk")
    assert "est maintenant : En cours d'analyse." in mail.body
    assert f"Suivre le signalement : {settings.SITE_URL}{report.get_tracking_url()}" in mail.body
    assert "MISSING VARIABLE" not in mail.body


def test_only_resolution_dates_the_report_as_resolved(report, gestionnaire):
    workflow.transition(report, S.EN_ANALYSE, user=gestionnaire)
    workflow.transition(report, S.TRANSMIS, user=gestionnaire)
    report.refresh_from_db()
    assert report.resolved_at is None


def test_no_routing_row_means_no_proposed_service(report):
    report.commune.categories_signalement.filter(categorie=report.categorie).delete()
    assert workflow.routing_service(report) is None
