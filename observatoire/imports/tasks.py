"""Imports started from the admin run here, in a worker, with their progress in Redis.

The importer writes in one transaction, so progress cannot go through the database (it would be
invisible until the commit); it goes through the cache, which the admin page reads.
"""

import logging
import shutil
import tempfile
from pathlib import Path

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from .base import ImportRejected, get_importer
from .files import chosen_member
from .models import ImportJob, Statut

logger = logging.getLogger(__name__)


def read_progress(job):
    return cache.get(job.progress_key) or {"done": 0, "total": 0}


@shared_task(name="imports.run")
def run_import(job_id):
    # Claim the job atomically: a duplicate delivery finds it already taken and does nothing.
    claimed = ImportJob.objects.filter(pk=job_id, status=Statut.EN_ATTENTE).update(
        status=Statut.EN_COURS, started_at=timezone.now()
    )
    if not claimed:
        return "déjà traité"
    job = ImportJob.objects.get(pk=job_id)

    def progress(done, total):
        cache.set(job.progress_key, {"done": done, "total": total}, timeout=24 * 3600)

    try:
        with job.fichier.open("rb") as source, tempfile.TemporaryDirectory() as folder:
            # Storage may be S3: importers read a local path. The copy keeps the uploaded file's name,
            # which says what some files do not say inside (the REI's year, an INPN layer's type).
            local = Path(folder) / Path(job.fichier.name).name
            with local.open("wb") as copy:
                shutil.copyfileobj(source, copy)
            with chosen_member(job.membre):
                summary = get_importer(job.kind).execute(str(local), dry_run=job.dry_run, progress=progress)
    except ImportRejected as error:
        job.status, job.message, job.errors = Statut.REJETE, str(error), error.errors[:200]
    except Exception as error:  # recorded on the job for the person who uploaded it
        logger.exception("Import %s en échec", job_id)
        job.status, job.message = Statut.ECHOUE, f"Erreur technique : {error.__class__.__name__} : {error}"
    else:
        message = " ".join([str(summary), *(f"Attention : {warning}" for warning in summary.warnings)])
        job.status, job.summary, job.message = Statut.TERMINE, summary.as_dict(), message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "errors", "summary", "finished_at"])
    return job.status
