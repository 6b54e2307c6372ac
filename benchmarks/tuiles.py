"""`make bench` (vector tiles part): MVT tiles over the million reports of benchmarks/signalements.py.

Reuses its database (BENCH_DATABASE_URL; the reports are generated only when missing) and its
gunicorn (production settings, 4 workers × 2 threads on loopback). Set REDIS_URL to the Redis
database the bench may use: tiles are cached there.

1. Street zoom under load: wrk with BENCH_CONNECTIONS (8) connections cycles through the zoom-17
   tiles (and separately the zoom-16 ones) of central Marseille for BENCH_SECONDS; after the first
   pass they come from the cache, as they do for a map that many people look at.
2. Cold tile: for each of those tiles, its cache entry is deleted and one request on a kept-alive
   connection times the whole stack (HTTP, Django, access check, data version, ST_AsMVT, Redis
   write); the same tile again (warm: the stack without the SQL); the same SQL run directly through
   psycopg ("raw"); a minimal hand-written ST_AsMVT of the tile (id and point only).
   Target of issue 13: cold median ≤ 1.5 × raw median.
3. Low zoom: tiles of the whole metropolis from the pre-aggregated grid and counted live, cold.

Prints Markdown tables for docs/performance.md; exits with status 1 when a target is missed.
"""

import http.client
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from benchmarks import signalements as bench  # noqa: E402 - sets the bench database and Django up
from observatoire.ogc import tiles  # noqa: E402
from observatoire.ogc.registry import get_collection  # noqa: E402
from observatoire.ogc.tilesets import TMS_ID, lonlat_to_tile  # noqa: E402
from signalements.models import Signalement  # noqa: E402

P95_TARGET_MS = 50
COLD_RATIO_TARGET = 1.5
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "3"))
CENTRE = (5.3770, 43.2965)  # between the Vieux-Port and the Canebière: the densest reports
MINIMAL_SQL = """
    SELECT ST_AsMVT(t.*, 'signalements', 4096, 'geom') FROM (
        SELECT s.id, ST_AsMVTGeom(ST_Transform(s.geom, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64) AS geom
        FROM signalements_signalement s
        WHERE s.geom && ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 2154)
          AND s.status NOT IN ('rejete', 'doublon')
    ) t
"""


def tiles_around(centre, zoom, side):
    x0, y0 = lonlat_to_tile(*centre, zoom)
    half = side // 2
    return [
        (zoom, x, y) for x in range(x0 - half, x0 - half + side) for y in range(y0 - half, y0 - half + side)
    ]


def path(z, x, y):
    return reverse("ogc:tiles-tile", args=["signalements", TMS_ID, z, y, x])


_connections = threading.local()


def get(url):
    """One GET on this thread's kept-alive connection, as a map's tile requests are."""
    for attempt in range(2):
        if attempt or not hasattr(_connections, "http"):
            # gunicorn closes a connection idle for 2 s: a new one, outside the timing.
            _connections.http = http.client.HTTPConnection("127.0.0.1", bench.PORT, timeout=30)
            _connections.http.connect()
        started = time.perf_counter()
        try:
            _connections.http.request("GET", url)
            response = _connections.http.getresponse()
            body = response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            _connections.http.close()
            continue
        return (time.perf_counter() - started) * 1000, response.status, len(body)
    raise ConnectionError(url)


def timed_sql(sql, params):
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(sql, params)
        size = len(cursor.fetchone()[0] or b"")
    return (time.perf_counter() - started) * 1000, size


def p95(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def cold_case(collection, tile_list):
    """Samples of each tile COLD_RUNS times: HTTP cold, HTTP warm, our SQL run directly, a minimal SQL; sizes."""
    served, warm, raw, minimal, sizes = [], [], [], [], []
    for z, x, y in tile_list:
        query = tiles.tile_query(collection, z, x, y)
        timed_sql(query.sql, query.params)  # the database's pages are warm for both sides
        for _ in range(COLD_RUNS):
            key = tiles.cache_key(collection, query, z, x, y)
            cache.delete(key)
            elapsed, status, size = get(path(z, x, y))
            assert status in (200, 204), status
            served.append(elapsed)
            sizes.append(size)
            warm.append(get(path(z, x, y))[0])
            raw.append(timed_sql(query.sql, query.params)[0])
            minimal.append(timed_sql(MINIMAL_SQL, {"z": z, "x": x, "y": y})[0])
    return served, warm, raw, minimal, sizes


def main():
    bench.prepare_database()
    try:
        path(17, 0, 0)
    except NoReverseMatch:
        sys.exit(
            "Les tuiles ne sont pas routées : observatoire/ogc/urls.py doit inclure observatoire.ogc.tile_urls."
        )
    collection = get_collection("signalements")
    count = Signalement.objects.count()
    street = tiles_around(CENTRE, 17, 8)
    z16 = tiles_around(CENTRE, 16, 6)
    grid = [(z, *lonlat_to_tile(*CENTRE, z)) for z in (9, 10, 11, 12)]
    live = [(z, *lonlat_to_tile(*CENTRE, z)) for z in (13, 14, 15)] + tiles_around(CENTRE, 15, 2)
    server = bench.start_gunicorn()
    rows, missed = [], []
    try:
        # Each worker loads the URLs and reads the column types on its first request: not timed.
        with ThreadPoolExecutor(bench.CONNECTIONS) as pool:
            list(pool.map(lambda tile: get(path(*tile)), street[:32]))
        for label, tile_list in (("zoom 17 (rue), 64 tuiles", street), ("zoom 16, 36 tuiles", z16)):
            with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
                listing.write("\n".join(path(*tile) for tile in tile_list) + "\n")
            os.environ["BENCH_TILE_PATHS"] = listing.name  # read by tiles.lua in wrk's environment
            result = bench.wrk(path(*tile_list[0]), "tiles.lua")
            os.unlink(listing.name)
            rows.append((label, result))
            print(
                f"{label} : p95 {result['p95']} ms, {result['rps']} req/s, erreurs {result['errors']}",
                flush=True,
            )
            if float(result["p95"]) >= P95_TARGET_MS or int(result["errors"]):
                missed.append(label)
        cold = cold_case(collection, street[:24])
        cold16 = cold_case(collection, z16[:12])
        grid_cold = cold_case(collection, grid)
        live_cold = cold_case(collection, live)
    finally:
        server.terminate()
        server.wait(timeout=20)

    print(
        f"\n{count:,} signalements · wrk -t2 -c{bench.CONNECTIONS} -d{bench.SECONDS}s · gunicorn 4 workers × 2 threads · charge {os.getloadavg()[0]:.1f}\n".replace(
            ",", " "
        )
    )
    print("| Tuiles (cache chaud après le 1er passage) | p50 ms | p95 ms | p99 ms | req/s | erreurs |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, r in rows:
        print(f"| {label} | {r['p50']} | {r['p95']} | {r['p99']} | {r['rps']} | {r['errors']} |")
    print(f"\nTuile froide (entrée du cache effacée), {COLD_RUNS} fois par tuile, une requête à la fois :\n")
    print(
        "| Tuiles | taille moyenne | HTTP froid médiane / p95 ms | même SQL direct médiane / p95 ms | rapport des médianes | HTTP chaud médiane ms | ST_AsMVT minimal médiane ms |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, (served, warm, raw, minimal, sizes) in (
        ("zoom 17, 24 tuiles du centre", cold),
        ("zoom 16, 12 tuiles du centre", cold16),
        ("zooms 9 à 12, regroupements lus dans la grille", grid_cold),
        ("zooms 13 à 15, regroupements comptés en direct", live_cold),
    ):
        ratio = statistics.median(served) / statistics.median(raw)
        print(
            f"| {label} | {statistics.mean(sizes) / 1024:.1f} Kio | {statistics.median(served):.1f} / {p95(served):.1f} "
            f"| {statistics.median(raw):.1f} / {p95(raw):.1f} | ×{ratio:.2f} | {statistics.median(warm):.1f} | {statistics.median(minimal):.1f} |"
        )
        if label.startswith("zoom 17") and ratio > COLD_RATIO_TARGET:
            missed.append(f"tuile froide {label} (×{ratio:.2f})")
    if missed:
        print(f"\nObjectif manqué : {', '.join(missed)}")
        sys.exit(1)
    print(
        f"\nObjectifs atteints : p95 < {P95_TARGET_MS} ms à {bench.CONNECTIONS} connexions, tuile froide ≤ ×{COLD_RATIO_TARGET} la requête directe."
    )


if __name__ == "__main__":
    main()
