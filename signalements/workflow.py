"""The report workflow: an explicit table of allowed transitions, and the one function that applies them."""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability

from . import notifications
from .alertes import services as alertes
from .enums import RejectionReason, Status
from .models import Historique, Signalement
from .satisfaction import invitation

S = Status
REOPEN_DELAY = timedelta(days=30)


class Actor(models.TextChoices):
    GESTIONNAIRE = "gestionnaire", "Gestionnaire des signalements"
    SERVICE = "service", "Service compétent"
    REPORTER = "reporter", "Auteur du signalement"
    SYSTEM = "system", "Traitement automatique"


A = Actor
_TRIAGE = {A.GESTIONNAIRE}
TRANSITIONS = {
    (S.NOUVEAU, S.EN_ANALYSE): _TRIAGE,
    (S.NOUVEAU, S.TRANSMIS): _TRIAGE,
    (S.NOUVEAU, S.REJETE): _TRIAGE,
    (S.NOUVEAU, S.DOUBLON): _TRIAGE,
    (S.EN_ANALYSE, S.TRANSMIS): _TRIAGE,
    (S.EN_ANALYSE, S.REJETE): _TRIAGE,
    (S.EN_ANALYSE, S.DOUBLON): _TRIAGE,
    (S.REOUVERT, S.EN_ANALYSE): _TRIAGE,
    (S.REOUVERT, S.TRANSMIS): _TRIAGE,
    (S.REOUVERT, S.REJETE): _TRIAGE,
    (S.REOUVERT, S.DOUBLON): _TRIAGE,
    # SYSTEM here: a service's own system reports its progress (signalements.liaisons.suivi).
    (S.TRANSMIS, S.PRIS_EN_CHARGE): {A.SERVICE, A.SYSTEM},
    # "Not ours": the service sends it back to triage.
    (S.TRANSMIS, S.EN_ANALYSE): {A.SERVICE, A.GESTIONNAIRE, A.SYSTEM},
    (S.PRIS_EN_CHARGE, S.PLANIFIE): {A.SERVICE, A.SYSTEM},
    (S.PRIS_EN_CHARGE, S.RESOLU): {A.SERVICE, A.SYSTEM},
    (S.PLANIFIE, S.RESOLU): {A.SERVICE, A.SYSTEM},
    (S.PRIS_EN_CHARGE, S.REJETE): {A.SERVICE, A.GESTIONNAIRE},
    (S.PLANIFIE, S.REJETE): {A.SERVICE, A.GESTIONNAIRE},
    (S.RESOLU, S.CLOS): {A.GESTIONNAIRE, A.SYSTEM},
    (S.RESOLU, S.REOUVERT): {A.REPORTER, A.GESTIONNAIRE},
    (S.CLOS, S.REOUVERT): {A.REPORTER, A.GESTIONNAIRE},
    (S.REJETE, S.EN_ANALYSE): _TRIAGE,
    (S.DOUBLON, S.EN_ANALYSE): _TRIAGE,
}
TERMINAL_TIMESTAMPS = {S.CLOS, S.REJETE, S.DOUBLON}


class TransitionError(Exception):
    """The change is not allowed; the message is for the user, in French."""


def allowed_targets(from_status):
    return [to for (frm, to) in TRANSITIONS if frm == from_status]


def actors_for(user, signalement, token=None):
    """The capacities in which ``user`` (or the holder of ``token``) acts on this report."""
    actors = set()
    if user is not None and user.is_authenticated and user.is_active:
        if perms.can(user, Capability.TRIAGE_REPORTS, commune=signalement.commune):
            actors.add(A.GESTIONNAIRE)
        if user.is_superuser or (
            signalement.service_id and signalement.service.members.filter(pk=user.pk).exists()
        ):
            actors.add(A.SERVICE)
        if signalement.reporter_id == user.pk:
            actors.add(A.REPORTER)
    if token and token == signalement.token:
        actors.add(A.REPORTER)
    return actors


def possible_transitions(user, signalement, token=None):
    actors = actors_for(user, signalement, token)
    return [
        to for to in allowed_targets(signalement.status) if TRANSITIONS[(signalement.status, to)] & actors
    ]


def transition(
    signalement,
    to_status,
    *,
    user=None,
    token=None,
    system=False,
    note="",
    is_public=True,
    reason="",
    parent=None,
    service=None,
    date_prevue=None,
):
    """Move a report to ``to_status`` if the table, the role and the scope allow it.

    The row is locked for the duration, so two agents cannot move it at once; every change
    appends one Historique row.
    """
    to_status = Status(to_status)
    with transaction.atomic():
        current = (
            Signalement.objects.select_for_update(of=("self",))
            .select_related("commune", "service")
            .get(pk=signalement.pk)
        )
        key = (Status(current.status), to_status)
        if key not in TRANSITIONS:
            raise TransitionError(
                f"Impossible de passer de « {current.get_status_display()} » à « {to_status.label} »."
            )
        actors = {A.SYSTEM} if system else actors_for(user, current, token)
        if not TRANSITIONS[key] & actors:
            raise TransitionError("Vous n'avez pas le droit d'effectuer ce changement sur ce signalement.")
        _apply(
            current, to_status, actors, reason=reason, parent=parent, service=service, date_prevue=date_prevue
        )
        entry = Historique.objects.create(
            signalement=current,
            from_status=key[0],
            to_status=to_status,
            by=user if user is not None and user.is_authenticated else None,
            note=note.strip(),
            is_public=is_public,
        )
        _notify(current, entry)
    signalement.refresh_from_db()
    return entry


def transition_from_form(report, user, data):
    """``transition`` with the fields of a validated transition form or serializer."""
    return transition(
        report,
        data["to_status"],
        user=user,
        note=data.get("note", ""),
        is_public=data.get("is_public", True),
        reason=data.get("reason", ""),
        parent=data.get("parent"),
        service=data.get("service"),
        date_prevue=data.get("date_intervention_prevue"),
    )


def _notify(report, entry):
    url = settings.SITE_URL + report.get_tracking_url()
    if entry.is_public and report.reporter_email:
        notifications.queue(
            report,
            report.reporter_email,
            "signalements/email/status.txt",
            {"entry": entry, "url": url},
            f"Signalement {report.reference} : {entry.get_to_status_display().lower()}",
        )
    if entry.to_status == S.TRANSMIS:
        notifications.notify_service(report, entry)
    if entry.to_status == S.RESOLU:
        alertes.schedule(report, alertes.RESOLU)
    if entry.to_status == S.RESOLU:
        invitation.invite(report)


def _apply(report, to_status, actors, *, reason, parent, service, date_prevue=None):
    now = timezone.now()
    if to_status == S.REJETE:
        if reason not in RejectionReason.values:
            raise TransitionError("Indiquez le motif pour lequel le signalement n'est pas retenu.")
        report.rejection_reason = reason
    if to_status == S.DOUBLON:
        if parent is None or parent.pk == report.pk or parent.status == S.DOUBLON:
            raise TransitionError("Indiquez le signalement original (qui n'est pas lui-même un doublon).")
        report.parent = parent
    if to_status == S.TRANSMIS:
        service = service or routing_service(report)
        if service is None:
            raise TransitionError("Aucun service compétent n'est défini : choisissez-en un.")
        report.service = service
    reporter_only = actors == {A.REPORTER}
    too_late = report.resolved_at is None or now - report.resolved_at > REOPEN_DELAY
    if to_status == S.REOUVERT and reporter_only and too_late:
        raise TransitionError(
            "Le délai de 30 jours après la résolution pour signaler un problème est dépassé."
        )
    if to_status == S.RESOLU:
        report.resolved_at = now
    if to_status == S.PLANIFIE and date_prevue is not None:
        report.date_intervention_prevue = date_prevue
    if to_status in TERMINAL_TIMESTAMPS:
        report.closed_at = now
    if to_status in (S.REOUVERT, S.EN_ANALYSE):
        report.closed_at = None
        report.rejection_reason = ""
    report.status = to_status
    report.save()


def routing_service(report):
    """The service the commune set for this category (the routing table), if any."""
    row = (
        report.commune.categories_signalement.filter(categorie=report.categorie)
        .select_related("service")
        .first()
    )
    return row.service if row else None
