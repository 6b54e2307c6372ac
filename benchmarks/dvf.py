"""`python benchmarks/dvf.py [--pages]`: the DVF importer against PostgreSQL's raw COPY of the same file.

1. A separate database (BENCH_DVF_DATABASE_URL, default ``observatoire_bench_dvf``) is created,
   migrated and given the real territory.
2. The demo generator writes, in a child process (its memory is not the import's), files of each
   size of BENCH_DVF_ROWS (default « 2000000,6000000 » rows) in the published format, gzipped, once
   (``var/bench/``).
3. For each file: (a) COPY of the file, decompressed on the fly, into a bare table of 40 text
   columns; (b) the importer on an empty table (first load); (c) the importer again (same file:
   nothing changes). Prints seconds, rows/s, the ratio to (a) (the goal: (b) within ×2), the peak
   memory of the process during (b) and (c) (VmHWM, reset before each; the goal: 400 MB whatever
   the size) and where (b)'s time went (aggregation and encoding run in a thread beside the COPY,
   then each SQL statement over 50 ms: the rebuilds).
4. The DVF indicators recomputed from those mutations (timed), then the pages that show them,
   BENCH_DVF_RUNS times each (default 30) through Django's test client: cache cleared before
   each run (cold), then not (warm). Prints the median and the 95th percentile in ms.
"""

import contextlib
import gc
import gzip
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get(
    "BENCH_DVF_DATABASE_URL", "postgis://postgres@127.0.0.1:5432/observatoire_bench_dvf"
)
SIZES = [int(rows) for rows in os.environ.get("BENCH_DVF_ROWS", "2000000,6000000").split(",")]
RUNS = int(os.environ.get("BENCH_DVF_RUNS", "30"))
PAGES = [
    ("tableau de bord habitat (prix DVF)",
     "/observatoires/habitat/tableau-de-bord/?indicateur=dvf-prix-m2-appartements"),
    ("tableau de bord foncier", "/observatoires/foncier/tableau-de-bord/"),
    ("portrait d'Aix-en-Provence", "/territoires/13001/"),
    ("GeoJSON de l'indicateur (Jenks)",
     "/api/v1/indicateurs/dvf-prix-m2-appartements/communes.geojson?methode=jenks"),
    ("carte choroplèthe", "/observatoires/indicateurs/dvf-prix-m2-appartements/carte/"),
]  # fmt: skip
os.environ["DATABASE_URL"] = BENCH_DB
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from foncier.dvf import importer, load, rows  # noqa: E402
from foncier.dvf.columns import HEADER  # noqa: E402
from foncier.dvf.demo import write_demo_file  # noqa: E402
from foncier.dvf.importer import import_path  # noqa: E402
from foncier.dvf.indicateurs import recompute  # noqa: E402


def prepare():
    subprocess.run([sys.executable, "scripts/create_database.py"], cwd=ROOT, check=True)
    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("import_territoire", epci="200054807", skip_if_loaded=True, verbosity=0)


def demo_file(size):
    """The gzipped file of ``size`` rows, generated once by a child process; (path, lines)."""
    path = ROOT / "var" / "bench" / f"dvf_{size}.csv.gz"
    if not path.exists():
        print(f"Génération de {size:,} lignes DVF…".replace(",", " "), flush=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--generer", str(size), str(path)], cwd=ROOT, check=True)
        print(f"  en {time.perf_counter() - started:.0f} s", flush=True)
    with gzip.open(path, "rb") as stream:  # the file in the page cache for both runs
        lines = sum(block.count(b"\n") for block in iter(lambda: stream.read(1 << 20), b"")) - 1
    return path, lines


def generate(size, path):
    temporary = path.with_suffix(".tmp")
    write_demo_file(temporary, rows=size, seed=2027)
    temporary.rename(path)


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


def timed_import(path, stages=None):
    """(seconds, summary, peak resident memory in MiB) of one import (recompute not scheduled)."""
    gc.collect()
    _reset_peak_memory()
    started = time.perf_counter()
    with _stage_timings(stages) if stages is not None else contextlib.nullcontext():
        summary = import_path(path, schedule=False)
    return time.perf_counter() - started, summary, _peak_memory()


def _reset_peak_memory():
    """Linux resets the process's peak resident size (VmHWM) when 5 is written to clear_refs."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def _n(number):
    return f"{number:,.0f}".replace(",", " ")


def _resident_memory():
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def _peak_memory():
    with contextlib.suppress(OSError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def _stage_timings(stages):
    """Seconds per stage of an import, into ``stages`` (the importer's functions wrapped meanwhile)."""

    def timed(module, name, label):
        function = getattr(module, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                stages[label] = stages.get(label, 0) + time.perf_counter() - started

        setattr(module, name, wrapper)
        return module, name, function

    def statement(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if (elapsed := time.perf_counter() - started) > 0.05:
                stages["  " + " ".join(sql.split())[:70]] = elapsed

    wrapped = [timed(importer, "aggregate", "agrégation (fil parallèle)"),
               timed(rows, "fields", "encodage binaire (fil parallèle)"),
               timed(load, "_copy", "COPY, lecture comprise")]  # fmt: skip
    try:
        with connection.execute_wrapper(statement):
            yield
    finally:
        for module, name, function in wrapped:
            setattr(module, name, function)


def main():
    if "--generer" in sys.argv:  # the child process writing a file
        generate(int(sys.argv[2]), Path(sys.argv[3]))
        return
    if "--pages" in sys.argv:  # the mutations already loaded: indicators and pages only
        indicators_and_pages()
        return
    prepare()
    results = [measure(size) for size in SIZES]
    print("\nRésumé (objectif : import ≤ ×2 le COPY brut, pic ≤ 400 Mo quelle que soit la taille)")
    for lines, ratio, peak in results:
        print(f"  {_n(lines):>10} lignes : ×{ratio:.2f} le COPY, pic {peak:.0f} Mio")
    indicators_and_pages()


def measure(size):
    path, lines = demo_file(size)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE foncier_mutation")
    megabytes = path.stat().st_size / 2**20
    print(f"\n{_n(lines)} lignes, {megabytes:.0f} Mio compressés ({path.name})", flush=True)
    copy_s = raw_copy(path)
    print(f"(a) COPY brut : {copy_s:.1f} s, {_n(lines / copy_s)} lignes/s", flush=True)
    before = _resident_memory()
    stages = {}
    first_s, summary, peak = timed_import(path, stages)
    print(f"(b) import, table vide : {first_s:.1f} s, {_n(lines / first_s)} lignes/s, "
          f"×{first_s / copy_s:.2f} le COPY, pic mémoire {peak:.0f} Mio (avant : {before:.0f}) — {summary}",
          flush=True)  # fmt: skip
    for label, seconds in stages.items():
        print(f"    {seconds:5.2f} s  {label}")
    again_s, again, again_peak = timed_import(path)
    print(
        f"(c) ré-import du même fichier : {again_s:.1f} s, ×{again_s / copy_s:.2f} le COPY, "
        f"pic mémoire {again_peak:.0f} Mio — {again}",
        flush=True,
    )
    print(f"Mutations : {_n(summary.details['mutations'])}")
    return lines, first_s / copy_s, max(peak, again_peak)


def indicators_and_pages():
    started = time.perf_counter()
    values = recompute()
    print(
        f"Indicateurs DVF recalculés : {values} valeurs en {time.perf_counter() - started:.1f} s", flush=True
    )
    pages()


def pages():
    """Median and p95 of each page, cache cold (cleared before each run) then warm."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(PAGES[0][1])  # load the URLconf, templates and code once, as a running server has
    gc.collect()
    gc.freeze()  # as observatoire/wsgi.py does once the application is loaded
    print(f"{'page':<40} {'froid p50':>10} {'p95':>8} {'chaud p50':>10} {'p95':>8}  (ms, {RUNS} passages)")
    for label, url in PAGES:
        cold = _samples(client, url, cache.clear)
        warm = _samples(client, url)
        print(f"{label:<40} {cold[0]:>10.1f} {cold[1]:>8.1f} {warm[0]:>10.1f} {warm[1]:>8.1f}", flush=True)


def _samples(client, url, before=None):
    samples = []
    for _ in range(RUNS):
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]


if __name__ == "__main__":
    main()
