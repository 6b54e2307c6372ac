"""The DVF importer: read and validate the whole file, aggregate, then write in one transaction."""

from contextlib import contextmanager

import pyarrow as pa
from django.db import transaction

from foncier.tasks import recompute_dvf
from observatoire.core.publish import publish_quietly
from observatoire.imports.base import Importer, no_progress, register
from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Zone
from observatoire.territoires.services import official_codes

from . import load
from .aggregate import aggregate
from .read import read_file


def import_path(path, *, dry_run=False, progress=no_progress, schedule=True):
    """Import a DVF géolocalisées file (plain or gzipped); returns the Summary or raises ImportRejected."""
    with _system_allocator():
        return _import(path, dry_run=dry_run, progress=progress, schedule=schedule)


@contextmanager
def _system_allocator():
    """pyarrow's allocator for the import: the C library's, the default one restored afterwards.

    pyarrow's default (mimalloc) gives freed memory back to the kernel within milliseconds, so each
    block read and each aggregation step faults fresh pages in again: 1 to 2 s of kernel time for a
    département's file on the benchmark machine, against 0.3 s with malloc, as fast otherwise.
    """
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _import(path, *, dry_run, progress, schedule):
    arrondissements = dict(
        Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, commune__epci__isnull=False).values_list(
            "code", "id"
        )
    )
    table, summary = read_file(path, official_codes(), arrondissements, progress)
    if table is None or table.num_rows == 0:
        summary.details["mutations"] = 0
        return summary
    mutations = aggregate(table)
    del table
    summary.details["mutations"] = len(mutations)
    with transaction.atomic():
        if dry_run:
            load.stage(mutations)
            summary.updated = load.count_existing()
            summary.inserted = len(mutations) - summary.updated
        else:
            summary.inserted, summary.updated = load.write(mutations)
            summary.details["inchangees"] = len(mutations) - summary.inserted - summary.updated
            if schedule:
                transaction.on_commit(_schedule_recompute)
    return summary


def _schedule_recompute():
    publish_quietly(recompute_dvf)


@register
class DvfImporter(Importer):
    kind = "dvf"
    label = "DVF géolocalisées (Etalab) : mutations immobilières et foncières"
    extensions = (".csv", ".csv.gz", ".gz", ".txt")
    observatoire = "foncier"

    def run(self, path, *, dry_run=False, progress=no_progress):
        return import_path(path, dry_run=dry_run, progress=progress)
