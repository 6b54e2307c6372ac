"""The DVF importer: the file read, aggregated and written block by block, in one transaction.

Each block of whole mutations is aggregated and sent to PostgreSQL's COPY before the next is read,
so the memory stays bounded whatever the size of the file; a bad row found late still changes
nothing, the import's transaction being rolled back (and a dry run is this same path, rolled back).
"""

import ctypes
import functools
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pyarrow as pa
from django.db import transaction

from foncier.tasks import schedule_recompute_dvf
from observatoire.imports.base import Importer, ImportRejected, Summary, no_progress, register
from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Zone
from observatoire.territoires.services import official_codes

from . import load
from .aggregate import aggregate
from .read import Progress, read_blocks

M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
MMAP_THRESHOLD = 256 << 10


def import_path(path, *, progress=no_progress, schedule=True):
    """Import a DVF géolocalisées file (plain, gzipped or zipped): the Summary, or ImportRejected."""
    with _system_allocator():
        for typed in (True, False):
            try:
                # A savepoint: what a typed reading wrote before meeting a value pyarrow could not
                # convert is undone, then the text reading names that value's line and column.
                with transaction.atomic():
                    return _import(path, progress, schedule, typed)
            except pa.ArrowInvalid as error:
                if not typed:  # read as text, what is left is not CSV (e.g. unbalanced quotes)
                    raise ImportRejected(
                        "Fichier DVF illisible : rien n'a été importé.", [str(error)]
                    ) from error
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def _system_allocator():
    """pyarrow's allocator for the import: the C library's, the default one restored afterwards.

    pyarrow's default (mimalloc) gives freed memory back to the kernel within milliseconds, so each
    block read and each aggregation step faults fresh pages in again: 1 to 2 s of kernel time for a
    département's file on the benchmark machine, against 0.3 s with malloc, as fast otherwise.
    glibc's malloc, though, raises its mmap threshold each time a large block is freed, after which
    the CSV reader's and gzip's buffers of a few MB come from the heap, which fragments and is never
    given back: 600 MB for a 2 million row file. A fixed threshold keeps them mapped and unmapped,
    and what the import freed is trimmed at its end.
    """
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    libc = _libc()
    if libc:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    try:
        yield
    finally:
        pa.set_memory_pool(previous)
        if libc:  # what the import freed goes back to the system (a worker process lives on)
            libc.malloc_trim(0)


@functools.cache
def _libc():
    """glibc, to tune its malloc; None elsewhere (nothing to tune)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc's, not only a C library's
    except (OSError, AttributeError):
        return None
    return libc


def _import(path, progress, schedule, typed):
    arrondissements = dict(
        Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, commune__epci__isnull=False).values_list(
            "code", "id"
        )
    )
    summary, reading = Summary(), Progress()
    rows = read_blocks(path, official_codes(), arrondissements, summary, reading, typed)
    blocks = (aggregate(block) for block in _read_ahead(rows))
    written = load.write(blocks, lambda: progress(reading.done, reading.total))
    summary.inserted, summary.updated = written.inserted, written.updated
    summary.details["mutations"] = written.mutations
    summary.details["inchangees"] = written.mutations - written.inserted - written.updated
    if schedule and summary.changed:
        transaction.on_commit(schedule_recompute_dvf)
    return summary


def _read_ahead(blocks):
    """The blocks, each read by a thread of its own while the previous one is aggregated, encoded and
    sent: gzip, pyarrow's parser and numpy release the GIL, so reading overlaps the rest."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        pending = pool.submit(next, blocks, None)
        while (block := pending.result()) is not None:
            pending = pool.submit(next, blocks, None)
            yield block
    finally:
        pool.shutdown(cancel_futures=True)  # waits for a block being read: then the file can close
        blocks.close()


@register
class DvfImporter(Importer):
    kind = "dvf"
    label = "DVF géolocalisées (Etalab) : mutations immobilières et foncières"
    extensions = (".csv", ".csv.gz", ".gz", ".zip", ".txt")
    observatoire = "foncier"

    def run(self, path, *, progress=no_progress):
        return import_path(path, progress=progress)
