"""Their system's news about a report turned into our workflow, by the « system » actor.

Both ways in (polling their Open311 server, their webhook calls) end here: each external state
is applied once (compared with ``Envoi.etat_externe``), through the transitions the table allows
the system, each with a public note naming the service.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import workflow
from ..enums import Status
from .clients import PermanentError, TransientError, open311_read
from .models import Envoi, EtatEnvoi, Mode
from .outbox import external_state

logger = logging.getLogger(__name__)

FOLLOWED = (Status.TRANSMIS, Status.PRIS_EN_CHARGE, Status.PLANIFIE)


def system_path(from_status, to_status):
    """The shortest chain of transitions the system may make from one status to another."""
    paths = {Status(from_status): []}
    frontier = [Status(from_status)]
    while frontier and to_status not in paths:
        step = []
        for current in frontier:
            for (frm, nxt), actors in workflow.TRANSITIONS.items():
                if frm == current and workflow.Actor.SYSTEM in actors and nxt not in paths:
                    paths[nxt] = [*paths[current], nxt]
                    step.append(nxt)
        frontier = step
    return paths.get(Status(to_status), [])


def apply(envoi, state, target, notes="", strict=False, date_prevue=None):
    """Record their ``state`` and move the report to ``target`` (None: nothing to do) once.

    Returns the statuses passed through; an empty list when the state was already known, or the
    report was re-routed elsewhere, or cannot reach ``target`` (TransitionError if ``strict``).
    ``date_prevue``: the intervention date they give with the step to « planifié ».
    """
    with transaction.atomic():
        envoi = Envoi.objects.select_for_update().select_related("service", "signalement").get(pk=envoi.pk)
        # Read now, changed or not: the polling goes round the oldest read first.
        envoi.suivi_at = timezone.now()
        if envoi.etat_externe == state:
            envoi.save(update_fields=["suivi_at"])
            return []
        envoi.etat_externe = state
        envoi.save(update_fields=["etat_externe", "suivi_at"])
        report = envoi.signalement
        if target is None or report.service_id != envoi.service_id:
            return []
        path = system_path(report.status, target)
        if strict and not path and report.status != target:
            raise workflow.TransitionError(
                f"Le signalement est « {report.get_status_display()} » : il ne peut pas passer "
                f"à « {Status(target).label} »."
            )
        signature = f"Mis à jour par {envoi.service.nom}"
        for status in path:
            note = f"{signature} : {notes}" if notes and status == target else signature
            date = date_prevue if status == Status.PLANIFIE else None
            workflow.transition(report, status, system=True, note=note, date_prevue=date)
    return path


def open311_target(envoi, status, state):
    if status == "closed":
        return Status.RESOLU
    # Open, and no longer as it was when filed: someone over there is on it.
    if envoi.etat_externe and state != envoi.etat_externe:
        return Status.PRIS_EN_CHARGE
    return None


def poll_open311(limit=200):
    """Read their state of every followed request; returns how many reports moved."""
    envois = (
        Envoi.objects.filter(
            mode=Mode.OPEN311,
            etat=EtatEnvoi.ENVOYE,
            signalement__status__in=FOLLOWED,
            service__liaison__mode=Mode.OPEN311,
            service__liaison__is_active=True,
            service__liaison__suivi_par_sondage=True,
        )
        .exclude(reference_externe="")
        .select_related("service__liaison")
        .order_by(F("suivi_at").asc(nulls_first=True), "pk")[:limit]
    )
    moved = 0
    unreachable = set()  # a server down is asked once a round, not once per request
    for envoi in envois:
        liaison = envoi.service.liaison
        if liaison.pk in unreachable:
            continue
        try:
            status, notes = open311_read(liaison, envoi.reference_externe)
        except TransientError as error:
            unreachable.add(liaison.pk)
            logger.warning("Suivi des envois à %s impossible : %s", envoi.service, error)
            continue
        except PermanentError as error:
            logger.warning("Suivi de l'envoi %s impossible : %s", envoi.pk, error)
            continue
        state = external_state(status, notes)
        if apply(envoi, state, open311_target(envoi, status, state), notes):
            moved += 1
        liaison.last_polled_at = timezone.now()
        liaison.save(update_fields=["last_polled_at"])
    return moved
