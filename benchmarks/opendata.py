"""`make bench` (open data part): publication of the reports dataset at scale, against raw COPY.

Uses the database of benchmarks/signalements.py (1 000 000 reports by default). Each measurement runs in
a fresh Python process so its peak memory (ru_maxrss) is its own:

- ``copy``: PostgreSQL's ``COPY (…) TO STDOUT`` of the same anonymised rows, bytes counted and dropped;
- ``csv``, ``geojson``, ``parquet``: each streamed exporter alone, to a temporary file;
- ``publish``: the whole publication task body (three formats from one snapshot, checksums, storage).
- ``baseline``: Django set up, nothing exported (the memory every process starts with).

Prints a Markdown table for docs/performance.md.
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ["baseline", "copy", "csv", "geojson", "parquet", "publish"]
SLUG = "signalements-espace-public"


def child(mode):
    sys.path.insert(0, str(ROOT))
    from django.db import connection, transaction
    from django.urls import get_resolver

    from benchmarks import signalements  # noqa: F401 - sets the bench database and Django up
    from gouvernance.models import JeuDeDonnees
    from observatoire.opendata.exports import FORMATS
    from observatoire.opendata.services import publish
    from observatoire.opendata.sources import SOURCES, sync_catalogue

    sync_catalogue()
    get_resolver().url_patterns  # noqa: B018 - loaded once by a worker, not per publication (schema URLs)
    jeu = JeuDeDonnees.objects.get(slug=SLUG)
    source = SOURCES[jeu.source_technique]
    started, size, rows = time.perf_counter(), 0, None
    if mode == "copy":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY ({source.attributes_sql}) TO STDOUT WITH (FORMAT csv, HEADER true)"
            ) as copy,
        ):
            for block in copy:
                size += len(block)
    elif mode in FORMATS:
        with transaction.atomic(), tempfile.TemporaryFile() as handle:
            size = FORMATS[mode][0](source, handle).size
    elif mode == "publish":
        jeu.publications.all().delete()  # force a new version: the whole path, storage included
        entry = publish(jeu)
        rows = entry.publication.lignes
        size = sum(r.taille for r in entry.publication.ressources.all())
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "seconds": elapsed, "bytes": size, "rows": rows, "peak_mb": peak_mb}))


def main():
    results = {}
    # The first run prepares the database (territory, 1 M reports) if needed.
    subprocess.run([sys.executable, "-c", "import benchmarks.signalements as s; s.prepare_database()"], cwd=ROOT,
                   check=True)  # fmt: skip
    for mode in MODES:
        out = subprocess.run(
            [sys.executable, __file__, mode], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        results[mode] = json.loads(out.strip().splitlines()[-1])
    base = results["baseline"]["peak_mb"]
    copy = results["copy"]["seconds"]
    rows = results["publish"]["rows"]
    print(f"\nPublication du jeu « {SLUG} » : {rows:,} lignes\n".replace(",", " "))
    print("| Étape | Durée (s) | × COPY | Taille (Mo) | Pic mémoire (Mo, hors socle) |")
    print("|---|---:|---:|---:|---:|")
    for mode in MODES[1:]:
        r = results[mode]
        print(
            f"| {mode} | {r['seconds']:.1f} | {r['seconds'] / copy:.1f} | {r['bytes'] / 1e6:.0f} "
            f"| {r['peak_mb'] - base:.0f} |"
        )
    print(f"\nSocle (Django chargé, rien exporté) : {base:.0f} Mo.")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        child(sys.argv[1])
    else:
        main()
