"""Publication of a dataset: export its current rows, and keep a new version only when they changed."""

import logging
import tempfile
import time
from functools import partial
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from .exports import FORMATS
from .models import Issue, JournalPublication, Publication, Ressource
from .pushers import schedule_push
from .sources import SOURCES

logger = logging.getLogger(__name__)


class NotPublishable(Exception):
    """The dataset is not public, was opted out, or has no source: the task refuses to export it."""


# A publication's progress is shown for an hour at most: a crashed run's last step does not linger.
PROGRESS_TIMEOUT = 3600


def progress_key(jeu_id):
    return f"opendata:progress:{jeu_id}"


def show_progress(jeu_id, label):
    cache.set(progress_key(jeu_id), {"etape": label}, timeout=PROGRESS_TIMEOUT)


def _step(jeu, label):
    show_progress(jeu.pk, label)


def check_publishable(jeu):
    if not jeu.is_publishable:
        reason = (
            f"sensibilité « {jeu.get_sensibilite_display()} »"
            if jeu.sensibilite != "public"
            else f"exclu de l'open data : {jeu.motif_non_publication}"
        )
        raise NotPublishable(f"Publication refusée pour « {jeu.slug} » : {reason}.")
    if jeu.source_technique not in SOURCES:
        raise NotPublishable(f"Publication refusée pour « {jeu.slug} » : aucune source de données déclarée.")


def refuse(jeu, error):
    logger.warning("%s", error)
    JournalPublication.objects.create(jeu=jeu, issue=Issue.REFUSEE, message=str(error))


def _export(jeu, source, folder):
    """Every format from one snapshot of the database, so the files agree with each other."""
    files = {}
    nested = connection.in_atomic_block  # e.g. inside a test: the outer transaction is the snapshot
    with transaction.atomic():
        with connection.cursor() as cursor:
            if not nested:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute(f"SELECT count(*) FROM ({source.sql}) s", source.params)  # noqa: S608 - declared in code
            (count,) = cursor.fetchone()
        for fmt, (writer, extension, media_type, needs_geometry) in FORMATS.items():
            if needs_geometry and not source.geometry:
                continue
            _step(jeu, f"Export {fmt.upper()}")
            path = Path(folder) / f"{jeu.slug}.{extension}"
            with path.open("wb") as handle:
                written = writer(source, handle)
            files[fmt] = (path, media_type, written.size, written.sha256.hexdigest())
    return count, files


def _store(jeu, version, files):
    """Copy the files to the media storage; on any failure remove what was copied and re-raise."""
    stored = []
    try:
        for fmt, (path, media_type, size, sha256) in files.items():
            name = f"opendata/{jeu.slug}/v{version}/{path.name}"
            # A file left by an attempt that failed after this copy (deleting a missing name is a no-op).
            default_storage.delete(name)
            with path.open("rb") as handle:
                saved = default_storage.save(name, File(handle))
            stored.append(saved)
            yield fmt, saved, media_type, size, sha256
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise


def publish(jeu):
    """Return the journal entry; raise NotPublishable (logged) or a storage/database error (retried)."""
    try:
        check_publishable(jeu)
    except NotPublishable as error:
        refuse(jeu, error)
        raise
    started = time.monotonic()
    source = SOURCES[jeu.source_technique]
    latest = jeu.latest
    with tempfile.TemporaryDirectory(prefix="opendata-") as folder:
        count, files = _export(jeu, source, folder)
        checksum = files["csv"][3]
        if latest and latest.checksum == checksum:
            _step(jeu, "Inchangé")
            return JournalPublication.objects.create(
                jeu=jeu, issue=Issue.INCHANGEE, message=f"{count} lignes identiques à la v{latest.version}."
            )
        version = (latest.version if latest else 0) + 1
        _step(jeu, "Enregistrement des fichiers")
        stored = list(_store(jeu, version, files))
    with transaction.atomic():
        publication = Publication.objects.create(
            jeu=jeu, version=version, checksum=checksum, lignes=count, duree=time.monotonic() - started
        )
        Ressource.objects.bulk_create(
            Ressource(
                publication=publication, format=fmt, fichier=name, media_type=media, taille=size, sha256=sha
            )
            for fmt, name, media, size, sha in stored
        )
        type(jeu).objects.filter(pk=jeu.pk).update(derniere_mise_a_jour=timezone.now())
        entry = JournalPublication.objects.create(
            jeu=jeu, issue=Issue.PUBLIEE, publication=publication, message=f"v{version} : {count} lignes."
        )
        transaction.on_commit(partial(schedule_push, jeu.pk))  # external portals, when configured
    _step(jeu, "Terminé")
    return entry
