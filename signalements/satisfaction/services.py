"""Record the reporter's opinion on a resolved report, once; « not fixed » reopens it."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from .. import workflow
from ..enums import Status
from ..models import Signalement
from .models import Avis

RATED_STATUSES = (Status.RESOLU, Status.CLOS)
REOPEN_NOTE = "Rouvert par l'auteur du signalement : le problème n'est pas réglé."


class AvisError(Exception):
    """The opinion cannot be recorded; the message is for the user, in French."""


@dataclass(frozen=True)
class Outcome:
    avis: Avis
    reopened: bool
    # Why a « not fixed » answer did not reopen the report (the 30-day rule), else empty.
    reopen_refused: str = ""


def can_give(report):
    """An opinion is asked for a resolved (or since closed) report that has none yet."""
    return report.status in RATED_STATUSES and report.resolved_at is not None and not has_avis(report)


def with_avis_attendu(reports):
    """Annotate ``avis_attendu``: resolved and not yet rated (for « Mes signalements »)."""
    rated = Exists(Avis.objects.filter(signalement=OuterRef("pk")))
    pending = Q(status__in=RATED_STATUSES, resolved_at__isnull=False) & ~rated
    return reports.annotate(avis_attendu=ExpressionWrapper(pending, output_field=BooleanField()))


def has_avis(report):
    return Avis.objects.filter(signalement_id=report.pk).exists()


def record(report, *, token, probleme_regle, note=None, commentaire="", user=None):
    """Save the opinion of the holder of ``token`` and, if not fixed, reopen the report.

    The report row is locked so that two submissions (double click, two tabs) give one answer
    and one clear refusal. A « not fixed » answer past the 30-day limit is kept: it still
    counts in the satisfaction figures, the report just stays closed.
    """
    with transaction.atomic():
        current = (
            Signalement.objects.select_for_update(of=("self",)).select_related("service").get(pk=report.pk)
        )
        if not token or token != current.token:
            raise AvisError("Ce lien de suivi ne correspond pas à ce signalement.")
        if has_avis(current):
            raise AvisError("Vous avez déjà donné votre avis sur ce signalement. Merci !")
        if current.status not in RATED_STATUSES or current.resolved_at is None:
            raise AvisError("Votre avis pourra être donné une fois le signalement résolu.")
        try:
            with transaction.atomic():
                avis = Avis.objects.create(
                    signalement=current,
                    probleme_regle=probleme_regle,
                    note=note,
                    commentaire=commentaire.strip(),
                    categorie_id=current.categorie_id,
                    service_id=current.service_id,
                    commune_id=current.commune_id,
                )
        except IntegrityError as error:
            raise AvisError("Vous avez déjà donné votre avis sur ce signalement. Merci !") from error
        if probleme_regle:
            return Outcome(avis=avis, reopened=False)
        try:
            # The comment stays in the opinion: a history note may reach Open311's status_notes.
            workflow.transition(current, Status.REOUVERT, user=user, token=token, note=REOPEN_NOTE)
        except workflow.TransitionError as error:
            return Outcome(avis=avis, reopened=False, reopen_refused=str(error))
    report.refresh_from_db()
    return Outcome(avis=avis, reopened=True)
