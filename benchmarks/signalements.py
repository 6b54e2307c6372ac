"""`make bench-signalements`: reports at scale, measured over HTTP with wrk against gunicorn.

1. A separate database (BENCH_DATABASE_URL, default ``observatoire_bench``) gets the territory,
   the demo category set-up and BENCH_REPORTS reports (default 1 000 000), generated in SQL.
2. gunicorn serves it on loopback with production settings (4 workers on this 2-core machine).
3. wrk (Debian package) loads each endpoint for BENCH_SECONDS; a Lua script reports p50/p95/p99.
4. The map's cold query is also timed directly in PostgreSQL, to know our stack's overhead.

Prints a Markdown table, pasted into docs/performance.md.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgis://postgres@127.0.0.1:5432/observatoire_bench")
REPORTS = int(os.environ.get("BENCH_REPORTS", "1000000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = os.environ.get("BENCH_WORKERS", "4")
THREADS = os.environ.get("BENCH_THREADS", "2")
# Only the cases whose label contains one of these words (comma-separated), e.g. "Dépôt,Tableau".
ONLY = [word.strip() for word in os.environ.get("BENCH_ONLY", "").split(",") if word.strip()]
BASE = f"http://127.0.0.1:{PORT}"
METROPOLE_BBOX = "4.70,43.15,5.85,43.75"
MARSEILLE_CENTRE_BBOX = "5.355,43.285,5.395,43.305"

BENCH_SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnop"  # noqa: S105 - loopback benchmark only
os.environ["DATABASE_URL"] = BENCH_DB
# Same key as the gunicorn under test, so the élu's session made here is valid there.
os.environ["SECRET_KEY"] = BENCH_SECRET_KEY
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from observatoire.accounts.demo import load_demo_accounts  # noqa: E402
from observatoire.accounts.enums import Role  # noqa: E402
from observatoire.accounts.models import User  # noqa: E402
from signalements.clusters import STATUS_GROUPS, cell_size, cluster_query  # noqa: E402
from signalements.demo import assign_demo_members, load_categories, load_services_and_activation  # noqa: E402
from signalements.grid import grid_query  # noqa: E402
from signalements.models import Signalement  # noqa: E402
from signalements.tasks import refresh_map_grid  # noqa: E402


def prepare_database():
    subprocess.run([sys.executable, "scripts/create_database.py"], cwd=ROOT, check=True)
    call_command("migrate", verbosity=0)
    # gunicorn runs with production settings, whose static storage needs an up-to-date manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("import_territoire", epci="200054807", skip_if_loaded=True, verbosity=0)
    load_demo_accounts()
    import random

    load_categories()
    load_services_and_activation(random.Random(2026))  # noqa: S311 - repeatable demo set-up
    assign_demo_members()
    missing = REPORTS - Signalement.objects.count()
    if missing > 0:
        print(f"Génération de {missing:,} signalements…".replace(",", " "), flush=True)
        started = time.perf_counter()
        sql = (ROOT / "benchmarks" / "generate_signalements.sql").read_text()
        with connection.cursor() as cursor:
            cursor.execute(sql, {"n": missing, "seed": 0.42, "point_seed": 7})
        print(f"  en {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE signalements_signalement")
    print(f"Grille des cartes reconstruite : {refresh_map_grid()}", flush=True)


def elu_session_cookie():
    """A signed-in metropolitan élu, for the dashboard page.

    Not the demo élu: production settings refuse demo accounts, even on an existing session, and
    wrk counts the redirection to the login page as a success.
    """
    user, _ = User.objects.get_or_create(email="elu.banc@banc.invalid", defaults={"first_name": "Élu"})
    user.groups.set([Group.objects.get(name=Role.ELU)])
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "observatoire.accounts.backends.AccountBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


def start_gunicorn():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "observatoire.settings.prod",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "False",
        "SIGNALEMENT_ANONYMOUS_LIMIT": str(10**9),
        "DATABASE_URL": BENCH_DB,
    }
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "observatoire.wsgi:application", "--workers", WORKERS, "--threads", THREADS,
         "--bind", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/health/", timeout=1)  # noqa: S310 - loopback
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn n'a pas démarré")


@dataclass(frozen=True)
class Target:
    """Issue 15's aims, checked at BENCH_CONNECTIONS (8 by default) with no error."""

    p95_ms: float | None = None
    min_rps: float | None = None

    def met(self, result):
        if int(result["errors"]):
            return False
        if self.p95_ms is not None and float(result["p95"]) >= self.p95_ms:
            return False
        return self.min_rps is None or float(result["rps"]) >= self.min_rps

    def __str__(self):
        parts = []
        if self.p95_ms is not None:
            parts.append(f"p95 < {self.p95_ms:g} ms")
        if self.min_rps is not None:
            parts.append(f"≥ {self.min_rps:g} req/s")
        return ", ".join(parts)


MAP_TARGET = Target(p95_ms=50)
LIST_TARGET = Target(p95_ms=100)
FILING_TARGET = Target(min_rps=200)
DASHBOARD_TARGET = Target(p95_ms=150)


def check_answers(path, headers=()):
    """One request first: a redirection or an error page would be measured as a fast success."""
    request = urllib.request.Request(BASE + path, headers=dict(h.split(": ", 1) for h in headers))  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
        if response.status != 200 or response.url != BASE + path:
            raise RuntimeError(f"{path} : réponse {response.status} à {response.url}")


def wrk(path, script="report.lua", headers=()):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", f"benchmarks/wrk/{script}"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run(
        [*command, BASE + path], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"RESULT (.*)", output)
    return dict(item.split("=") for item in match.group(1).split())


def direct_sql_ms(bbox, zoom, runs=10, use_grid=False):
    box = tuple(map(float, bbox.split(",")))
    if use_grid:
        sql, params = grid_query(box, zoom, STATUS_GROUPS["tous"], cell_size)
    else:
        sql, params = cluster_query(box, zoom, STATUS_GROUPS["tous"])
    timings = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchone()
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk est requis : apt-get install wrk (fait par `make bench`).")
    prepare_database()
    count = Signalement.objects.count()
    cookie = elu_session_cookie()
    server = start_gunicorn()
    cases = [
        ("Carte, métropole, zoom 10, tous états (grille)", f"/api/v1/signalements/clusters.geojson?bbox={METROPOLE_BBOX}&zoom=10&status=tous", "report.lua", (), MAP_TARGET),
        ("Carte, métropole, zoom 10, ouverts", f"/api/v1/signalements/clusters.geojson?bbox={METROPOLE_BBOX}&zoom=10&status=ouverts", "report.lua", (), MAP_TARGET),
        ("Carte, centre de Marseille, zoom 15, tous états", f"/api/v1/signalements/clusters.geojson?bbox={MARSEILLE_CENTRE_BBOX}&zoom=15&status=tous", "report.lua", (), MAP_TARGET),
        ("Carte, rue, zoom 17, points", "/api/v1/signalements/clusters.geojson?bbox=5.372,43.294,5.378,43.297&zoom=17&status=tous", "report.lua", (), MAP_TARGET),
        ("API liste, page 1 (50)", "/api/v1/signalements/?page=1", "report.lua", (), LIST_TARGET),
        ("API liste, filtrée commune + état", "/api/v1/signalements/?commune=13001&status=resolu&page=2", "report.lua", (), LIST_TARGET),
        ("Dépôt d'un signalement (POST, sans photo)", "/api/v1/signalements/", "create.lua", (), FILING_TARGET),
        ("Tableau de bord élu (page)", "/signalements/tableau-de-bord/", "report.lua", (f"Cookie: {cookie}",), DASHBOARD_TARGET),
    ]  # fmt: skip
    cases = [case for case in cases if not ONLY or any(word in case[0] for word in ONLY)]
    rows, missed = [], []
    try:
        for label, path, script, headers, target in cases:
            if script == "report.lua":
                check_answers(path, headers)
            result = wrk(path, script, headers)
            rows.append((label, result, target))
            print(
                f"{label}: p95 {result['p95']} ms, {result['rps']} req/s, erreurs {result['errors']}",
                flush=True,
            )
            if not target.met(result):
                missed.append(f"{label} ({target})")
    finally:
        server.terminate()
        server.wait(timeout=20)
    report_table(count, rows)
    if not ONLY:
        direct_sql_report()
    if missed:
        print(f"\nObjectif manqué : {', '.join(missed)}")
        sys.exit(1)
    print(f"\nObjectifs atteints ({len(rows)} cas).")


def report_table(count, rows):
    print()
    print(
        f"{count:,} signalements · wrk -t2 -c{CONNECTIONS} -d{SECONDS}s · gunicorn {WORKERS} workers × {THREADS} threads"
        f" · charge {os.getloadavg()[0]:.1f}".replace(",", " ")
    )
    print()
    print("| Cas | p50 ms | p95 ms | p99 ms | req/s | erreurs | objectif |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for label, r, target in rows:
        verdict = "atteint" if target.met(r) else "**manqué**"
        print(
            f"| {label} | {r['p50']} | {r['p95']} | {r['p99']} | {r['rps']} | {r['errors']} | {target} : {verdict} |"
        )


def direct_sql_report():
    sql_metro_live = direct_sql_ms(METROPOLE_BBOX, 10)
    sql_metro_grid = direct_sql_ms(METROPOLE_BBOX, 10, use_grid=True)
    sql_centre = direct_sql_ms(MARSEILLE_CENTRE_BBOX, 15)
    print()
    print("Requête de carte exécutée directement dans PostgreSQL (sans cache), médiane / p95 :")
    print(
        f"- métropole, zoom 10, tous états, agrégation directe : {sql_metro_live[0]:.1f} / {sql_metro_live[1]:.1f} ms"
    )
    print(
        f"- métropole, zoom 10, tous états, lue dans la grille : {sql_metro_grid[0]:.1f} / {sql_metro_grid[1]:.1f} ms"
    )
    print(f"- centre de Marseille, zoom 15, tous états : {sql_centre[0]:.1f} / {sql_centre[1]:.1f} ms")


if __name__ == "__main__":
    main()
