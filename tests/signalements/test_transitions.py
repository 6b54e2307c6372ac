"""The transition table as a truth table, written out by hand, and the fields each change sets.

The table below is NOT read from ``workflow.TRANSITIONS``: a row or an actor removed from (or
added to) the code's table must make these tests fail.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from observatoire.accounts.enums import Role
from signalements import services, workflow
from signalements.enums import RejectionReason, ServiceType, Status
from signalements.models import Historique, Service, Signalement
from signalements.workflow import TransitionError
from tests.factories import UserFactory

from .conftest import VIEUX_PORT

S = Status
# Columns, in order, of each row below (the target status).
TARGETS = [S.NOUVEAU, S.EN_ANALYSE, S.TRANSMIS, S.PRIS_EN_CHARGE, S.PLANIFIE, S.RESOLU, S.CLOS,
           S.REJETE, S.DOUBLON, S.REOUVERT]  # fmt: skip
# Who may move a report from the row's status to the column's: G gestionnaire des signalements,
# S service compétent, R auteur du signalement, Y traitement automatique; "." not in the table.
TABLE = {
    #                NOUV ANAL TRAN PRIS PLAN RESO CLOS REJE DOUB REOU
    S.NOUVEAU:        " .   G    G    .    .    .    .    G    G    .",
    S.EN_ANALYSE:     " .   .    G    .    .    .    .    G    G    .",
    S.TRANSMIS:       " .   GSY  .    SY   .    .    .    .    .    .",
    S.PRIS_EN_CHARGE: " .   .    .    .    SY   SY   .    GS   .    .",
    S.PLANIFIE:       " .   .    .    .    .    SY   .    GS   .    .",
    S.RESOLU:         " .   .    .    .    .    .    GY   .    .    GR",
    S.CLOS:           " .   .    .    .    .    .    .    .    .    GR",
    S.REJETE:         " .   G    .    .    .    .    .    .    .    .",
    S.DOUBLON:        " .   G    .    .    .    .    .    .    .    .",
    S.REOUVERT:       " .   G    G    .    .    .    .    G    G    .",
}  # fmt: skip
ACTORS = "GSRY"
CLOSING = {S.CLOS, S.REJETE, S.DOUBLON}
REOPENING = {S.REOUVERT, S.EN_ANALYSE}


def cells(from_status):
    return dict(zip(TARGETS, TABLE[from_status].split(), strict=True))


def test_table_covers_every_status():
    assert set(TABLE) == set(Status)
    assert set(TARGETS) == set(Status)


@pytest.fixture
def original(marseille_setup, categories):
    return services.file_signalement(
        user=AnonymousUser(), categorie=categories["proprete"], description="Même dépôt.", **VIEUX_PORT
    )


@pytest.fixture
def acting_as(gestionnaire, service_agent, report):
    """Keyword arguments of ``transition`` that make the caller exactly one actor."""
    return {
        "G": {"user": gestionnaire},
        "S": {"user": service_agent},
        "R": {"token": report.token},
        "Y": {"system": True},
    }


EARLIER = timezone.now() - timedelta(days=3)


def put_in(report, status, service):
    """The report in ``status`` with every side field filled, so a change to them shows."""
    Signalement.objects.filter(pk=report.pk).update(
        status=status,
        service=service,
        resolved_at=timezone.now() - timedelta(days=1),
        closed_at=EARLIER,
        rejection_reason=RejectionReason.SPAM,
    )
    report.refresh_from_db()


class _Undo(Exception):
    pass


@pytest.mark.parametrize("from_status", list(Status), ids=str)
def test_possible_transitions_per_actor(from_status, report, service_marseille, gestionnaire, service_agent):
    put_in(report, from_status, service_marseille)
    expected = cells(from_status)
    for letter, kwargs in (
        ("G", {"user": gestionnaire}),
        ("S", {"user": service_agent}),
        ("R", {"token": report.token}),
    ):
        offered = workflow.possible_transitions(kwargs.get("user"), report, kwargs.get("token"))
        assert set(offered) == {to for to, who in expected.items() if letter in who}, letter
    assert workflow.possible_transitions(None, report) == []
    assert workflow.possible_transitions(AnonymousUser(), report) == []


@pytest.mark.parametrize("from_status", list(Status), ids=str)
def test_truth_table_of_transition(from_status, report, original, service_marseille, acting_as):
    """Every (from, to, actor): allowed exactly when the table says so, with the side fields it implies."""
    put_in(report, from_status, service_marseille)
    other_service = Service.objects.create(
        nom="Voirie", type=ServiceType.METROPOLITAIN, email="voirie@exemple.fr"
    )
    for to_status, who in cells(from_status).items():
        for letter in ACTORS:
            case = f"{from_status} → {to_status} by {letter}"
            extra = {"reason": RejectionReason.HORS_COMPETENCE, "parent": original, "service": other_service}
            try:
                with transaction.atomic():
                    workflow.transition(report, to_status, note=" vu ", **acting_as[letter], **extra)
                    changed = Signalement.objects.get(pk=report.pk)
                    entry = changed.historique.order_by("-pk").first()
                    raise _Undo
            except TransitionError as error:
                assert letter not in who, f"{case}: refused ({error})"
                expected = "pas le droit" if who != "." else "Impossible de passer"
                assert expected in str(error), case
                continue
            except _Undo:
                pass
            assert letter in who, f"{case}: allowed"
            assert changed.status == to_status, case
            assert (entry.from_status, entry.to_status, entry.note) == (from_status, to_status, "vu"), case
            if to_status in CLOSING:
                assert changed.closed_at > EARLIER, case
            elif to_status in REOPENING:
                assert changed.closed_at is None, case
            else:
                assert changed.closed_at == EARLIER, case
            if to_status == S.REJETE:
                assert changed.rejection_reason == RejectionReason.HORS_COMPETENCE, case
            elif to_status in REOPENING:
                assert changed.rejection_reason == "", case
            else:
                assert changed.rejection_reason == RejectionReason.SPAM, case
            assert changed.parent_id == (original.pk if to_status == S.DOUBLON else None), case
            assert changed.service == (other_service if to_status == S.TRANSMIS else service_marseille), case
            if to_status == S.RESOLU:
                assert changed.resolved_at > timezone.now() - timedelta(minutes=1), case
    report.refresh_from_db()
    assert report.status == from_status  # every change above was undone


def resolved(report, gestionnaire, service_agent, days_ago):
    for status, user in (
        (S.TRANSMIS, gestionnaire),
        (S.PRIS_EN_CHARGE, service_agent),
        (S.RESOLU, service_agent),
    ):
        workflow.transition(report, status, user=user)
    Signalement.objects.filter(pk=report.pk).update(resolved_at=timezone.now() - days_ago)


@pytest.fixture
def frozen_now(monkeypatch):
    """A fixed « now », so that a delay can be tested at its exact end."""
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


@pytest.mark.parametrize(
    ("days_ago", "allowed"),
    [
        (timedelta(days=29), True),
        (timedelta(days=30), True),  # the 30th day itself still counts
        (timedelta(days=30, hours=1), False),
    ],
)
def test_reporter_reopening_delay_boundary(
    report, gestionnaire, service_agent, frozen_now, days_ago, allowed
):
    resolved(report, gestionnaire, service_agent, days_ago)
    if allowed:
        workflow.transition(report, S.REOUVERT, token=report.token)
        assert report.status == S.REOUVERT
    else:
        with pytest.raises(TransitionError, match="délai de 30 jours"):
            workflow.transition(report, S.REOUVERT, token=report.token)
        assert report.status == S.RESOLU


def test_the_gestionnaire_reopens_after_the_delay(report, gestionnaire, service_agent):
    resolved(report, gestionnaire, service_agent, timedelta(days=90))
    workflow.transition(report, S.REOUVERT, user=gestionnaire)
    assert report.status == S.REOUVERT


def test_a_report_never_resolved_is_not_reopened_by_its_reporter(report, service_marseille):
    put_in(report, S.CLOS, service_marseille)
    Signalement.objects.filter(pk=report.pk).update(resolved_at=None)
    with pytest.raises(TransitionError, match="délai de 30 jours"):
        workflow.transition(report, S.REOUVERT, token=report.token)


def test_the_logged_in_reporter_reopens_and_nobody_else_as_reporter(
    marseille_setup, categories, gestionnaire, service_agent
):
    author, other = UserFactory(role=Role.CITOYEN), UserFactory(role=Role.CITOYEN)
    report = services.file_signalement(
        user=author, categorie=categories["proprete"], description="Tag sur la façade.", **VIEUX_PORT
    )
    resolved(report, gestionnaire, service_agent, timedelta(days=2))
    assert workflow.possible_transitions(other, report) == []
    with pytest.raises(TransitionError, match="pas le droit"):
        workflow.transition(report, S.REOUVERT, user=other)
    assert workflow.possible_transitions(author, report) == [S.REOUVERT]
    entry = workflow.transition(report, S.REOUVERT, user=author)
    assert entry.by == author


def test_an_inactive_user_acts_in_no_capacity(report, gestionnaire, service_agent, service_marseille):
    put_in(report, S.TRANSMIS, service_marseille)
    for user in (gestionnaire, service_agent):
        user.is_active = False
        assert workflow.actors_for(user, report) == set()
        with pytest.raises(TransitionError, match="pas le droit"):
            workflow.transition(report, S.EN_ANALYSE, user=user)


def test_a_superuser_acts_as_the_service(report, service_marseille):
    put_in(report, S.TRANSMIS, service_marseille)
    admin = UserFactory(role=Role.SUPERADMIN, is_superuser=True)
    assert workflow.actors_for(admin, report) == {workflow.Actor.GESTIONNAIRE, workflow.Actor.SERVICE}
    workflow.transition(report, S.PRIS_EN_CHARGE, user=admin)
    assert report.status == S.PRIS_EN_CHARGE


def test_without_a_service_nobody_is_the_service(report, gestionnaire, service_agent):
    assert report.service is None
    assert workflow.actors_for(service_agent, report) == set()
    assert workflow.actors_for(gestionnaire, report) == {workflow.Actor.GESTIONNAIRE}


@pytest.mark.parametrize("parent", ["none", "itself", "a_duplicate"])
def test_a_duplicate_needs_an_original_that_is_not_one(
    report, original, gestionnaire, service_marseille, parent
):
    put_in(original, S.DOUBLON, service_marseille)
    parents = {"none": None, "itself": report, "a_duplicate": original}
    with pytest.raises(TransitionError, match="signalement original"):
        workflow.transition(report, S.DOUBLON, user=gestionnaire, parent=parents[parent])
    report.refresh_from_db()
    assert (report.status, report.parent) == (S.NOUVEAU, None)


def test_the_form_gives_the_note_the_visibility_the_service_and_the_reason(
    report, gestionnaire, service_marseille
):
    voirie = Service.objects.create(nom="Voirie", type=ServiceType.METROPOLITAIN, email="voirie@exemple.fr")
    entry = workflow.transition_from_form(
        report,
        gestionnaire,
        {"to_status": "transmis", "note": "  Pour la voirie.  ", "is_public": False, "service": voirie},
    )
    report.refresh_from_db()
    assert report.service == voirie  # the form's choice, not the routing table's
    assert (entry.note, entry.is_public, entry.by) == ("Pour la voirie.", False, gestionnaire)
    workflow.transition_from_form(report, gestionnaire, {"to_status": "en_analyse"})
    entry = workflow.transition_from_form(
        report, gestionnaire, {"to_status": "rejete", "reason": RejectionReason.SPAM}
    )
    report.refresh_from_db()
    assert (report.rejection_reason, entry.note, entry.is_public) == (RejectionReason.SPAM, "", True)


def test_the_reporter_acting_with_its_token_is_recorded_as_nobody(report, gestionnaire, service_agent):
    resolved(report, gestionnaire, service_agent, timedelta(days=1))
    entry = workflow.transition(report, S.REOUVERT, token=report.token)
    assert entry.by is None
    assert Historique.objects.filter(signalement=report).count() == 5
