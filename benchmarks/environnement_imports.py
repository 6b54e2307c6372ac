"""`python benchmarks/environnement_imports.py`: the environnement importers on national-sized files.

1. A separate database (BENCH_ENV_DATABASE_URL, default ``observatoire_bench_environnement``) is
   created, migrated and given the real territory (the imports write to it for real).
2. Files in the producers' layouts (the columns of ``environnement/demo_*.py`` and ``fixtures/``) are
   written to a temporary folder:
   - ``indice_atmo_paca_2023.csv``: a region's year of the national ATMO CSV (``,``, ``date_ech`` as a
     date, one EPCI row a day): the territory's zones (communes, Marseille by arrondissement) and
     BENCH_ATMO_OTHERS synthetic communes of 04, 05, 06, 83 and 84 (default 840: 947 zones × 365 days
     = 345 655 commune rows, as AtmoSud publishes PACA);
   - ``indice_atmo_territoire.csv``: BENCH_ATMO_TERRITORY_ROWS rows (default 349 890) of the
     territory's zones only, several years in one file (every row kept);
   - ``catnat_gaspar_2026-09-21.csv``: the national CatNat table of the 2025–2026 export
     (``id_gaspar; code_commune; …``, dates with a time), BENCH_GASPAR_ROWS rows (default 260 000),
     BENCH_GASPAR_INSIDE of them (default 1 %) in the territory, 1 % repeated exactly;
   - ``znieff1_2024.geojson``: a national-like INPN layer of BENCH_INPN_FEATURES polygons (default
     10 000) of BENCH_INPN_VERTICES vertices (default 60), BENCH_INPN_INSIDE of them (default 90)
     centred on the territory's communes, the others over metropolitan France.
3. Each file goes through ``get_importer(kind).execute(path)`` three times: as a dry run (the real run
   rolled back), for real on an empty table, then again (re-import: the upsert finds every key). The
   Celery recompute published after a commit is not sent (the bench's database is not the workers');
   the environnement indicators are recomputed once at the end, timed apart.

Measured 2026-11-26 on a shared, loaded machine (docs/performance.md, « Issue 16 »): ATMO PACA year
2.4–2.7 s, territory-only 6–8 s, GASPAR 2–3 s, INPN 6–7 s (4–8.5 s), each as a real import.

Prints a Markdown table for docs/performance.md. Small sizes for a quick run, e.g.
``BENCH_ATMO_OTHERS=50 BENCH_ATMO_TERRITORY_ROWS=20000 BENCH_GASPAR_ROWS=20000 BENCH_INPN_FEATURES=500``.
"""

import itertools
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get(
    "BENCH_ENV_DATABASE_URL", "postgis://postgres@127.0.0.1:5432/observatoire_bench_environnement"
)
ATMO_OTHERS = int(os.environ.get("BENCH_ATMO_OTHERS", "840"))
ATMO_TERRITORY_ROWS = int(os.environ.get("BENCH_ATMO_TERRITORY_ROWS", "349890"))
GASPAR_ROWS = int(os.environ.get("BENCH_GASPAR_ROWS", "260000"))
GASPAR_INSIDE = float(os.environ.get("BENCH_GASPAR_INSIDE", "0.01"))
INPN_FEATURES = int(os.environ.get("BENCH_INPN_FEATURES", "10000"))
INPN_VERTICES = int(os.environ.get("BENCH_INPN_VERTICES", "60"))
INPN_INSIDE = int(os.environ.get("BENCH_INPN_INSIDE", "90"))
SIREN = os.environ.get("METROPOLE_EPCI_SIREN", "200054807")
os.environ["DATABASE_URL"] = BENCH_DB
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from environnement import atmo, demo_atmo, demo_espaces, demo_gaspar, espaces, gaspar  # noqa: E402
from environnement.indicateurs import recompute  # noqa: E402
from environnement.models import ArreteCatnat, CouvertureCommune, EspaceNaturel, IndiceAtmo  # noqa: E402
from observatoire.imports.base import get_importer  # noqa: E402
from observatoire.territoires.models import Commune  # noqa: E402

OTHER_DEPARTEMENTS = ["04", "05", "06", "83", "84"]
PERILS = [demo_gaspar.FLOOD, demo_gaspar.CLAY, demo_gaspar.LANDSLIDE, demo_gaspar.STORM, demo_gaspar.WAVES]
FRANCE = (-4.5, 42.6, 7.8, 50.9)  # lon/lat box of metropolitan France, for the INPN's sites elsewhere
METROPOLE = (4.7, 43.1, 5.9, 43.8)  # kept clear of them: only the BENCH_INPN_INSIDE sites meet it


def prepare():
    subprocess.run([sys.executable, "scripts/create_database.py"], cwd=ROOT, check=True)
    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("import_territoire", epci=SIREN, skip_if_loaded=True, verbosity=0)


def territory_codes():
    return set(Commune.objects.filter(epci__isnull=False).values_list("insee", flat=True))


def other_codes(departements, own):
    """Synthetic INSEE codes of ``departements`` (001, 002… in each, in turn), none of the territory."""
    series = ([f"{dep}{number:03d}" for number in range(1, 1000)] for dep in departements)
    return (code for code in itertools.chain.from_iterable(zip(*series, strict=True)) if code not in own)


def write_atmo_region(path, rng, own):
    """A PACA year: the territory's zones and ATMO_OTHERS communes of the other départements."""
    zones = demo_atmo._zones()
    extra = itertools.islice(other_codes(OTHER_DEPARTEMENTS, own), ATMO_OTHERS)
    zones += [(code, f"Commune {code}", 950000, 6300000, 0.5) for code in extra]
    demo_atmo.write_national(path, 2023, zones, rng)
    return len(zones) * 365


def write_atmo_territory(path, rng):
    """ATMO_TERRITORY_ROWS commune rows of the territory's zones, year after year up to 2024."""
    zones = demo_atmo._zones()
    years = -(-ATMO_TERRITORY_ROWS // (len(zones) * 365))
    lines = [demo_atmo.NATIONAL_HEADER]
    for year in range(2025 - years, 2025):
        part = demo_atmo.write_national(path, year, zones, rng)
        lines += part.read_text(encoding="utf-8").splitlines()[1:]
    communes = itertools.accumulate(",commune," in line for line in lines)
    kept = [line for line, count in zip(lines, communes, strict=True) if count <= ATMO_TERRITORY_ROWS]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return min(ATMO_TERRITORY_ROWS, sum(",commune," in line for line in lines))


def write_gaspar(path, rng, own):
    """The national CatNat table: decrees over random communes, GASPAR_INSIDE of rows in the territory."""
    inside = sorted(own)
    elsewhere = list(itertools.islice(other_codes([f"{dep:02d}" for dep in range(1, 96) if dep != 20], own),
                                      30000))  # fmt: skip
    stamp = demo_gaspar._stamp
    lines, number = [demo_gaspar.CATNAT_HEADER], 0
    while len(lines) <= GASPAR_ROWS:
        number += 1
        (num, label), start = (
            rng.choice(PERILS),
            date(rng.randint(1982, 2025), rng.randint(1, 12), rng.randint(1, 28)),
        )
        signed = date.fromordinal(start.toordinal() + rng.randint(40, 300))
        published = date.fromordinal(signed.toordinal() + rng.randint(3, 30))
        code = f"INTE{published.year % 100:02d}{number:05d}A"
        places = set()
        for _ in range(rng.randint(1, 40)):
            places.add(rng.choice(inside) if rng.random() < GASPAR_INSIDE else rng.choice(elsewhere))
        for place in sorted(places):
            stamps = [stamp(day, rng) for day in (start, start, signed, published)]
            line = ";".join([code, place, f"Commune {place}", num, label, *stamps, "2025-03-26 02:00:00.000"])
            lines.append(line)
            if rng.random() < 0.01:
                lines.append(line)  # the national file repeats some rows exactly
    path.write_text("\r\n".join(lines[: GASPAR_ROWS + 1]) + "\r\n", encoding="utf-8")
    return GASPAR_ROWS


def write_inpn(path, rng):
    """INPN_FEATURES ZNIEFF I, INPN_INSIDE of them centred on the territory's communes."""
    centres = [commune.geom.point_on_surface.transform(4326, clone=True) for commune in
               Commune.objects.filter(epci__isnull=False).order_by("insee")]  # fmt: skip
    features = []
    for number in range(1, INPN_FEATURES + 1):
        if number <= INPN_INSIDE:
            point = centres[number % len(centres)]
            lon, lat = point.x, point.y
        else:
            lon, lat = METROPOLE[0], METROPOLE[1]
            while METROPOLE[0] <= lon <= METROPOLE[2] and METROPOLE[1] <= lat <= METROPOLE[3]:
                lon, lat = rng.uniform(FRANCE[0], FRANCE[2]), rng.uniform(FRANCE[1], FRANCE[3])
        ident = f"{930000000 + number}"
        properties = {
            "ID_MNHN": ident,
            "NOM": f"ZNIEFF {number}",
            "URL": f"https://inpn.mnhn.fr/zone/znieff/{ident}",
        }
        ring = demo_espaces.outline(
            rng, lon, lat, rng.uniform(0.005, 0.04), rng.uniform(0.004, 0.02), INPN_VERTICES
        )
        features.append(demo_espaces.feature(properties, ring))
    demo_espaces.write(path, features)
    return INPN_FEATURES


def empty(*models):
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(model._meta.db_table for model in models)}")


def spaced(number):
    return f"{number:,}".replace(",", " ")


def timed(kind, path, dry_run=False):
    started = time.perf_counter()
    summary = get_importer(kind).execute(path, dry_run=dry_run)
    return time.perf_counter() - started, summary


def main():
    prepare()
    for module in (atmo, gaspar, espaces):
        module.schedule_recompute = lambda: None  # the bench's database is not the workers'
    own = territory_codes()
    rng = random.Random(2026)  # noqa: S311 - seeded bench data
    cases = [  # (label, kind, file name, writer, tables emptied before the first real run)
        ("ATMO, année PACA (national CSV)", "indice_atmo", "indice_atmo_paca_2023.csv",
         lambda p: write_atmo_region(p, rng, own), [IndiceAtmo]),
        ("ATMO, territoire seul, plusieurs années", "indice_atmo", "indice_atmo_territoire.csv",
         lambda p: write_atmo_territory(p, rng), [IndiceAtmo]),
        ("GASPAR CatNat national (CSV 2025–2026)", "gaspar", "catnat_gaspar_2026-09-21.csv",
         lambda p: write_gaspar(p, rng, own), [ArreteCatnat]),
        ("INPN ZNIEFF I national-like (GeoJSON)", "espaces_naturels", "znieff1_2024.geojson",
         lambda p: write_inpn(p, rng), [CouvertureCommune, EspaceNaturel]),
    ]  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for label, kind, name, writer, tables in cases:
            path = Path(folder) / name
            started = time.perf_counter()
            rows = writer(path)
            written = time.perf_counter() - started
            size = path.stat().st_size / 1e6
            print(
                f"{label}: {spaced(rows)} lignes/entités, {size:.0f} Mo écrits en {written:.1f} s", flush=True
            )
            empty(*tables)
            dry, _ = timed(kind, path, dry_run=True)
            first, summary = timed(kind, path)
            again, resummary = timed(kind, path)
            print(f"  import : {summary}\n  ré-import : {resummary}", flush=True)
            kept = summary.inserted
            results.append((label, rows, size, kept, dry, first, again))
            path.unlink()
    started = time.perf_counter()
    values = recompute()
    indicators = time.perf_counter() - started
    print()
    print("| fichier | lignes / entités | Mo | écrites | dry-run s | import s | ré-import s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, rows, size, kept, dry, first, again in results:
        cells = [label, spaced(rows), f"{size:.0f}", spaced(kept), *(f"{t:.1f}" for t in (dry, first, again))]
        print(f"| {' | '.join(cells)} |")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nMémoire résidente maximale du processus (écriture des fichiers comprise) : {peak:.0f} Mo.")
    print(f"Indicateurs environnement recalculés ({spaced(values)} valeurs) en {indicators:.1f} s.")


if __name__ == "__main__":
    main()
