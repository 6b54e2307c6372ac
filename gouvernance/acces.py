"""Who may download a non-public dataset, and the audited download itself."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from observatoire.accounts import perms
from observatoire.core.client import client_ip
from observatoire.opendata.exports import csv_blocks
from observatoire.opendata.sources import SOURCES

from .enums import Sensibilite
from .models import DemandeAcces, StatutDemande, Telechargement, Traitement


@dataclass
class Decision:
    allowed: bool
    reason: str
    demande: DemandeAcces | None = None


def register_lists_recipient(jeu, organisation):
    """Personal data goes to a partner only if the GDPR register names it as a recipient for that dataset."""
    if organisation is None:
        return False
    return Traitement.objects.listing_recipient(organisation, jeu).exists()


def _role_allows(user, jeu):
    roles = {role.value for role in user.roles}
    if not (user.is_superuser or roles & set(jeu.roles_autorises)):
        return False
    communes = jeu.communes_autorisees.only("pk")
    if not communes or perms.has_metropolitan_scope(user):
        return True
    return perms.communes_in_scope(user).filter(pk__in=communes).exists()


def decide(user, jeu):
    if not (user and user.is_authenticated and user.is_active):
        return Decision(False, "Connexion requise.")
    if jeu.sensibilite == Sensibilite.PUBLIC:
        return Decision(True, "Donnée publique.")
    if _role_allows(user, jeu):
        return Decision(True, "Rôle autorisé par la fiche du jeu de données.")
    if jeu.sensibilite == Sensibilite.SECURITE:
        return Decision(False, "Données sensibles pour la sécurité : réservées aux rôles autorisés.")
    demande = DemandeAcces.objects.valid().filter(jeu=jeu, demandeur=user).order_by("-expires_at").first()
    if demande is None:
        return Decision(False, "Aucun accès en cours de validité pour ce jeu de données.")
    if jeu.sensibilite == Sensibilite.PERSONNEL and not register_lists_recipient(jeu, user.organisation):
        return Decision(
            False,
            "Données personnelles : votre organisation n'est pas destinataire de ce traitement au registre.",
            demande,
        )
    return Decision(
        True, f"Accès accordé jusqu'au {timezone.localtime(demande.expires_at):%d/%m/%Y}.", demande
    )


def may_request(user, jeu):
    """A partner may ask for a restricted or personal dataset it has no pending request or valid grant for."""
    from observatoire.accounts.enums import Capability

    if not perms.has_capability(user, Capability.REQUEST_DATASET_ACCESS):
        return False
    if jeu.sensibilite not in (Sensibilite.RESTREINT, Sensibilite.PERSONNEL):
        return False
    ongoing = DemandeAcces.objects.filter(jeu=jeu, demandeur=user).filter(
        Q(status=StatutDemande.EN_ATTENTE) | Q(status=StatutDemande.ACCORDEE, expires_at__gt=timezone.now())
    )
    return not ongoing.exists()


def _text(value, field):
    """Text as PostgreSQL stores it in ``field`` of the log: no NUL character (refused by its text
    type), cut to the column's length."""
    return str(value or "").replace("\x00", "")[: Telechargement._meta.get_field(field).max_length]


def audit(request, user, jeu, decision, canal, format="csv"):
    """Log a download attempt. Every value comes from code or is cleaned, so the write never fails on
    what a client sent: an attempt that cannot be logged would be an attempt nobody sees."""
    return Telechargement.objects.create(
        jeu=jeu,
        user=user if user.is_authenticated else None,
        user_email=_text(getattr(user, "email", ""), "user_email") or "anonyme",
        organisation=_text(getattr(user, "organisation", None), "organisation"),
        format=format,
        version=f"extraction du {timezone.localtime():%Y-%m-%d %H:%M:%S}",
        canal=canal,
        autorise=decision.allowed,
        motif=_text(decision.reason, "motif"),
        demande=decision.demande,
        ip=client_ip(request),
        user_agent=_text(request.META.get("HTTP_USER_AGENT"), "user_agent"),
    )


def stream_csv(jeu):
    """The dataset's current rows as CSV, straight from PostgreSQL's COPY, chunk by chunk."""
    return csv_blocks(SOURCES[jeu.source_technique])


def expire_grants():
    """Grants past their end date become « expirée » (downloads check the date anyway)."""
    expired = 0
    for demande in DemandeAcces.objects.filter(status=StatutDemande.ACCORDEE, expires_at__lte=timezone.now()):
        demande.transition(StatutDemande.EXPIREE, None, "Échéance atteinte")
        expired += 1
    return expired
