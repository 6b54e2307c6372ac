import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import DatabaseError

from observatoire.accounts.enums import Role
from observatoire.accounts.models import User

from .models import Issue, JournalPublication
from .services import NotPublishable, publish

logger = logging.getLogger(__name__)
TRANSIENT = (OSError, DatabaseError)


def alert_agd(jeu, error):
    recipients = list(
        User.objects.filter(groups__name=Role.AGD, is_active=True).values_list("email", flat=True)
    )
    if recipients:
        send_mail(
            f"[Open data] Échec de la publication de « {jeu.titre} »",
            f"La publication de « {jeu.titre} » a échoué après plusieurs tentatives :\n{error}\n\n"
            "La version précédente reste en ligne.",
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )


@shared_task(bind=True, name="opendata.publish_dataset", max_retries=3)
def publish_dataset(self, jeu_id):
    from gouvernance.models import JeuDeDonnees

    lock = f"opendata:lock:{jeu_id}"
    if not cache.add(lock, self.request.id or "local", timeout=3600):
        return "déjà en cours"
    try:
        jeu = JeuDeDonnees.objects.get(pk=jeu_id)
        try:
            return publish(jeu).issue
        except NotPublishable:
            return Issue.REFUSEE
        except TRANSIENT as error:
            if self.request.retries < self.max_retries:
                raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
            logger.exception("Publication de %s en échec", jeu.slug)
            JournalPublication.objects.create(
                jeu=jeu, issue=Issue.ECHEC, message=f"{error.__class__.__name__} : {error}"
            )
            alert_agd(jeu, error)
            return Issue.ECHEC
    finally:
        cache.delete(lock)


@shared_task(name="opendata.publish_all")
def publish_all():
    """Nightly: every publishable dataset with a source; unchanged ones cost an export, not a version."""
    from gouvernance.models import JeuDeDonnees

    ids = list(JeuDeDonnees.objects.publishable().exclude(source_technique="").values_list("pk", flat=True))
    for jeu_id in ids:
        publish_dataset.delay(jeu_id)
    return len(ids)


@shared_task(bind=True, name="opendata.push_publication", max_retries=3)
def push_publication(self, jeu_id, portail, force=False):
    """Latest version of a dataset to one portal; retried with backoff while the portal is unavailable."""
    from gouvernance.models import JeuDeDonnees

    from .pushers import PortalUnavailable, push, record_failure

    lock = f"opendata:push:{portail}:{jeu_id}"
    if not cache.add(lock, self.request.id or "local", timeout=3600):
        return "déjà en cours"
    try:
        jeu = JeuDeDonnees.objects.get(pk=jeu_id)
        try:
            return push(jeu, portail, force=force)
        except PortalUnavailable as error:
            if self.request.retries < self.max_retries:
                raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
            return record_failure(jeu, portail, error)
    finally:
        cache.delete(lock)


@shared_task(name="opendata.push_pending")
def push_pending():
    """Nightly sweep: what a dead broker or a portal outage left behind."""
    from .pushers import DESACTIVE, enabled, pending

    portails = enabled()
    if not portails:
        return DESACTIVE
    count = 0
    for portail in portails:
        for jeu_id in pending(portail).values_list("pk", flat=True):
            push_publication.delay(jeu_id, portail)
            count += 1
    return count


@shared_task(name="opendata.prune_tabular_cache")
def prune_tabular_cache():
    """Daily: the tabular API's cache keeps the latest version of each dataset, not every one."""
    from .tabular import prune_cache

    return len(prune_cache())
