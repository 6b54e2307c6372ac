"""Publication of a dataset: export its current rows, and keep a new version only when they changed."""

import logging
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from . import schemas
from .exports import FORMATS, Snapshot, geometry_summary
from .models import Issue, JournalPublication, Publication, Ressource
from .pushers import schedule_push
from .sources import SOURCES, Source

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
    """Every format from one pass over one snapshot, so the files agree with each other.

    The source's query runs once, into a table of its own (``CREATE UNLOGGED TABLE … AS``: one
    statement, so one consistent view of the database, without WAL); the formats are then read from
    that frozen copy, in parallel on their own connections when the publication runs as a task.
    Inside a transaction (a test), only this connection sees the rows: one format after the other."""
    jobs = [
        (fmt, writer, Path(folder) / f"{jeu.slug}.{extension}", media_type)
        for fmt, (writer, extension, media_type, needs_geometry) in FORMATS.items()
        if source.geometry or not needs_geometry
    ]
    table = f"opendata_instantane_{jeu.pk}"  # one publication of a dataset at a time (task lock)
    nested = connection.in_atomic_block
    _step(jeu, "Lecture des données")
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{table}"')  # left by a run that died
        cursor.execute(f'CREATE UNLOGGED TABLE "{table}" AS {source.sql}', source.params or None)
        rows = cursor.rowcount
    frozen = Source(source.key, f'SELECT * FROM "{table}"', source.geometry)  # noqa: S608 - our name
    try:
        snapshot = Snapshot(rows, partial(geometry_summary, frozen))
        _step(jeu, "Export " + ", ".join(fmt.upper() for fmt, *_ in jobs))
        if nested:
            written = {fmt: _write(writer, frozen, path, snapshot) for fmt, writer, path, _ in jobs}
        else:
            with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                futures = {
                    fmt: pool.submit(_on_own_connection, _write, writer, frozen, path, snapshot)
                    for fmt, writer, path, _ in jobs
                }
                written = {fmt: future.result() for fmt, future in futures.items()}
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TABLE IF EXISTS "{table}"')
    files = {
        fmt: (path, media_type, written[fmt].size, written[fmt].sha256.hexdigest())
        for fmt, _, path, media_type in jobs
    }
    return rows, files


def _write(writer, source, path, snapshot):
    # The rows in the order they were frozen: no scan joining another one midway, no parallel workers
    # (for this transaction only: there is always one, the test's or _on_own_connection's).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronize_seqscans = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
    with path.open("wb") as handle:
        return writer(source, handle, snapshot)


def _on_own_connection(function, *args):
    """Run ``function`` on this thread's connection, in a transaction (server-side cursors need one)."""
    try:
        with transaction.atomic():
            return function(*args)
    finally:
        connection.close()  # the thread's connection, not the caller's


def published_schema(jeu, version):
    """The Table Schema stored with a version (None for versions published before schemas were)."""
    name = schema_name(jeu, version)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def schema_name(jeu, version):
    return f"opendata/{jeu.slug}/v{version}/{schemas.FILE_NAME}"


def _save(name, path):
    # A file left by an attempt that failed after this copy (deleting a missing name is a no-op).
    default_storage.delete(name)
    with path.open("rb") as handle:
        return default_storage.save(name, File(handle))


def _store(jeu, version, files, schema_path):
    """Copy the files, then their Table Schema, to the media storage; on any failure remove what was
    copied and re-raise."""
    stored = []
    try:
        for fmt, (path, media_type, size, sha256) in files.items():
            saved = _save(f"opendata/{jeu.slug}/v{version}/{path.name}", path)
            stored.append(saved)
            yield fmt, saved, media_type, size, sha256
        stored.append(_save(schema_name(jeu, version), schema_path))
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
    version = (latest.version if latest else 0) + 1
    try:  # before exporting anything: a column nobody described is not published
        schema = schemas.to_bytes(schemas.table_schema(jeu, source, version))
    except schemas.UndescribedColumn as error:
        refusal = NotPublishable(f"Publication refusée pour « {jeu.slug} » : {error}")
        refuse(jeu, refusal)
        raise refusal from error
    with tempfile.TemporaryDirectory(prefix="opendata-") as folder:
        count, files = _export(jeu, source, folder)
        checksum = files["csv"][3]
        # Same rows and same schema (descriptions, constraints): nothing new to publish.
        if (
            latest
            and latest.checksum == checksum
            and published_schema(jeu, latest.version)
            == schemas.to_bytes(schemas.table_schema(jeu, source, latest.version))
        ):
            _step(jeu, "Inchangé")
            return JournalPublication.objects.create(
                jeu=jeu, issue=Issue.INCHANGEE, message=f"{count} lignes identiques à la v{latest.version}."
            )
        schema_path = Path(folder) / schemas.FILE_NAME
        schema_path.write_bytes(schema)
        _step(jeu, "Enregistrement des fichiers")
        stored = list(_store(jeu, version, files, schema_path))
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
