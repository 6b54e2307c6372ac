"""Optional pushes of published datasets to external portals (CKAN, data.gouv.fr).

Each portal is off until its URL and API key are set. The portals receive metadata and the
portal's stable download URLs (remote resources), never the files themselves.
"""

import logging

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from observatoire.core.publish import publish_quietly

from ..models import Diffusion, DiffusionStatus, Publication
from .base import PortalRefused, PortalUnavailable
from .ckan import CkanPusher
from .datagouv import DatagouvPusher

__all__ = [
    "PUSHERS",
    "PortalRefused",
    "PortalUnavailable",
    "enabled",
    "pending",
    "push",
    "record_failure",
    "schedule_push",
]

logger = logging.getLogger(__name__)

PUSHERS = {pusher.portail: pusher for pusher in (CkanPusher, DatagouvPusher)}

# What push() answers; also the result of the Celery task.
DESACTIVE = "désactivé"
REFUSE = "refusé"
SANS_VERSION = "aucune version publiée"
A_JOUR = "à jour"
DIFFUSE = "diffusé"
ECHEC = "échec"


def enabled():
    """The portals configured in the settings, in a stable order."""
    return [name for name, pusher in PUSHERS.items() if pusher.is_configured()]


def pending(portail):
    """Publishable datasets whose latest version is not on ``portail`` yet (failures included)."""
    from gouvernance.models import JeuDeDonnees

    latest = Publication.objects.filter(jeu=OuterRef("pk")).order_by("-version").values("version")[:1]
    sent = Diffusion.objects.filter(jeu=OuterRef("pk"), portail=portail, status=DiffusionStatus.DIFFUSEE)
    return (
        JeuDeDonnees.objects.publishable()
        .annotate(derniere=Subquery(latest), diffusee=Coalesce(Subquery(sent.values("version")[:1]), 0))
        .filter(derniere__isnull=False)
        .exclude(diffusee=F("derniere"))
        .order_by("slug")
    )


def schedule_push(jeu_id):
    """After a new version is committed: one task per configured portal (nothing when none is)."""
    from ..tasks import push_publication

    portails = enabled()
    for portail in portails:
        publish_quietly(push_publication, jeu_id, portail)
    return portails


def push(jeu, portail, force=False):
    """Send the latest version of ``jeu`` to ``portail``; PortalUnavailable is left to the caller to retry."""
    if not PUSHERS[portail].is_configured():
        return DESACTIVE
    if not jeu.is_publishable:  # the catalogue may have changed since the version was published
        logger.warning("Diffusion de %s vers %s refusée : jeu non publiable.", jeu.slug, portail)
        return REFUSE
    publication = jeu.latest
    if publication is None:
        return SANS_VERSION
    diffusion, _ = Diffusion.objects.get_or_create(jeu=jeu, portail=portail)
    if (
        not force
        and diffusion.status == DiffusionStatus.DIFFUSEE
        and diffusion.version == publication.version
    ):
        return A_JOUR
    pusher = PUSHERS[portail].from_settings()
    try:
        pusher.push(jeu, publication, diffusion)
    except PortalRefused as error:
        record_failure(jeu, portail, error)
        return ECHEC
    finally:
        pusher.close()
    diffusion.version, diffusion.status = publication.version, DiffusionStatus.DIFFUSEE
    diffusion.message = f"v{publication.version} diffusée."
    diffusion.save(update_fields=["version", "status", "message", "at"])
    logger.info("Jeu %s v%s diffusé vers %s.", jeu.slug, publication.version, portail)
    return DIFFUSE


def record_failure(jeu, portail, error):
    logger.error("Diffusion de %s vers %s en échec : %s", jeu.slug, portail, error)
    Diffusion.objects.update_or_create(
        jeu=jeu, portail=portail, defaults={"status": DiffusionStatus.ECHEC, "message": str(error)}
    )
    return ECHEC
