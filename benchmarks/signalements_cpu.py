"""CPU milliseconds per request of filing or the élus' dashboard: gunicorn's workers and their PostgreSQL
backends, read from /proc around a wrk run. Steadier than latencies on a machine others load too.

    BENCH_DATABASE_URL=… BENCH_PORT=8871 REDIS_URL=… python benchmarks/signalements_cpu.py filing|dashboard \\
        [seconds] [connections]

Uses the database ``benchmarks/signalements.py`` prepared (not prepared again here); BENCH_WORKERS and
BENCH_THREADS choose gunicorn's processes and threads. Run as a user who may read the PostgreSQL
backends' /proc entries (root on the development machine).
"""

import importlib.util
import os
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def load_bench():
    spec = importlib.util.spec_from_file_location(
        "bench_signalements", ROOT / "benchmarks" / "signalements.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def cpu_seconds(pid):
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
            if parent == pid:
                found.append(int(entry.name))
    return found


def backends(database):
    with psycopg.connect(dbname="postgres", host="127.0.0.1", user="postgres") as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
        return [row[0] for row in rows]


def main():
    os.chdir(ROOT)
    what = sys.argv[1]
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    connections = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    bench = load_bench()
    database = bench.BENCH_DB.rsplit("/", 1)[1]
    cookie = bench.elu_session_cookie()
    server = bench.start_gunicorn()
    try:
        if what == "filing":
            path, script, headers = "/api/v1/signalements/", "create.lua", ()
        else:
            path, script, headers = "/signalements/tableau-de-bord/", "report.lua", (f"Cookie: {cookie}",)
            bench.check_answers(path, headers)
        bench.SECONDS, bench.CONNECTIONS = 3, connections
        bench.wrk(path, script, headers)  # every worker loads its code and connects: not counted
        workers = [server.pid, *children(server.pid)]
        before = sum(map(cpu_seconds, workers)), sum(map(cpu_seconds, backends(database)))
        bench.SECONDS = seconds
        result = bench.wrk(path, script, headers)
        after = sum(map(cpu_seconds, workers)), sum(map(cpu_seconds, backends(database)))
        n = int(result["requests"])
        print(
            f"{what} · gunicorn {bench.WORKERS} × {bench.THREADS} · {n} requêtes, {result['rps']} req/s, "
            f"p95 {result['p95']} ms, erreurs {result['errors']}, charge {os.getloadavg()[0]:.1f}"
        )
        print(
            f"CPU par requête : gunicorn {(after[0] - before[0]) * 1000 / n:.2f} ms, "
            f"PostgreSQL {(after[1] - before[1]) * 1000 / n:.2f} ms"
        )
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
