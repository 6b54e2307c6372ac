"""`python benchmarks/dvf.py`: the DVF importer against PostgreSQL's raw COPY of the same file.

1. A separate database (BENCH_DVF_DATABASE_URL, default ``observatoire_bench_dvf``) is created,
   migrated and given the real territory.
2. The demo generator writes BENCH_DVF_ROWS rows (default 2 000 000) in the published format,
   gzipped, once (``var/bench/``).
3. (a) COPY of the file, decompressed on the fly, into a bare table of 40 text columns;
   (b) the importer on an empty table (first load); (c) the importer again (same file: nothing
   changes). Prints seconds, rows/s, the ratio to (a) and the process's peak memory.
"""

import gzip
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get(
    "BENCH_DVF_DATABASE_URL", "postgis://postgres@127.0.0.1:5432/observatoire_bench_dvf"
)
ROWS = int(os.environ.get("BENCH_DVF_ROWS", "2000000"))
os.environ["DATABASE_URL"] = BENCH_DB
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from foncier.dvf.columns import HEADER  # noqa: E402
from foncier.dvf.demo import write_demo_file  # noqa: E402
from foncier.dvf.importer import import_path  # noqa: E402


def prepare():
    subprocess.run([sys.executable, "scripts/create_database.py"], cwd=ROOT, check=True)
    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("import_territoire", epci="200054807", skip_if_loaded=True, verbosity=0)
    path = ROOT / "var" / "bench" / f"dvf_{ROWS}.csv.gz"
    if not path.exists():
        print(f"Génération de {ROWS:,} lignes DVF…".replace(",", " "), flush=True)
        started = time.perf_counter()
        write_demo_file(path.with_suffix(".tmp"), rows=ROWS, seed=2027)
        path.with_suffix(".tmp").rename(path)
        print(f"  en {time.perf_counter() - started:.0f} s", flush=True)
    with gzip.open(path, "rb") as stream:  # the file in the page cache for both runs
        lines = sum(block.count(b"\n") for block in iter(lambda: stream.read(1 << 20), b"")) - 1
    return path, lines


def raw_copy(path):
    columns = ", ".join(f"{name} text" for name in HEADER)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_dvf_brut")
        cursor.execute(f"CREATE TABLE bench_dvf_brut ({columns})")
        started = time.perf_counter()
        copy_sql = "COPY bench_dvf_brut FROM STDIN WITH (FORMAT csv, HEADER true)"
        with cursor.copy(copy_sql) as copy, gzip.open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                copy.write(block)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_dvf_brut")
    return elapsed


def timed_import(path):
    started = time.perf_counter()
    summary = import_path(path, schedule=False)
    return time.perf_counter() - started, summary


def main():
    path, lines = prepare()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE foncier_mutation")
    size = path.stat().st_size / 2**20
    print(f"{lines:,} lignes, {size:.0f} Mio compressés ({path.name})".replace(",", " "), flush=True)
    copy_s = raw_copy(path)
    print(f"(a) COPY brut : {copy_s:.1f} s, {lines / copy_s:,.0f} lignes/s".replace(",", " "), flush=True)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first_s, summary = timed_import(path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(b) import, table vide : {first_s:.1f} s, {lines / first_s:,.0f} lignes/s, "
          f"×{first_s / copy_s:.2f} le COPY — {summary}".replace(",", " "), flush=True)  # fmt: skip
    again_s, again = timed_import(path)
    print(
        f"(c) ré-import du même fichier : {again_s:.1f} s, ×{again_s / copy_s:.2f} le COPY — {again}",
        flush=True,
    )
    print(f"Mutations : {summary.details['mutations']:,}".replace(",", " "))
    print(f"Mémoire : pic du processus {peak:.0f} Mio (avant l'import : {rss_before:.0f} Mio)")


if __name__ == "__main__":
    main()
