"""`make bench` (tabular API part): filters over the published reports dataset at scale.

Uses the database of benchmarks/signalements.py (1 000 000 reports by default, BENCH_REPORTS to
change; rejected reports and duplicates stay out of the open dataset). Publishes the reports
dataset when it has no version yet (or one older than the reports), builds the tabular cache once
(timed: the first request after a publication pays it), then times each query through Django's
full stack (middleware, DRF, JSON) with the test client, BENCH_RUNS times: median and 95th
percentile in milliseconds. The target of issue 12: every filter answers with p95 < 100 ms.

Prints a Markdown table for docs/performance.md; exits with status 1 when a filter misses the target.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from benchmarks import signalements  # noqa: E402 - sets the bench database and Django up
from gouvernance.models import JeuDeDonnees  # noqa: E402
from observatoire.opendata import tabular  # noqa: E402
from observatoire.opendata.services import publish  # noqa: E402
from observatoire.opendata.sources import sync_catalogue  # noqa: E402
from signalements.models import Signalement  # noqa: E402

SLUG = "signalements-espace-public"
RUNS = int(os.environ.get("BENCH_RUNS", "60"))
TARGET_MS = 100

# (label, query string): filters of every kind, on text, dates and numbers, with sorts and pages.
FILTERS = [
    ("sans filtre, page 1", ""),
    ("statut__exact=resolu", "statut__exact=resolu"),
    (
        "commune_insee__exact=13055 & statut__in=resolu,clos",
        "commune_insee__exact=13055&statut__in=resolu,clos",
    ),
    ("categorie_code__in=voirie,eclairage", "categorie_code__in=voirie,eclairage"),
    ("statut__differs=clos", "statut__differs=clos"),
    ("commune__contains=aix (sans casse)", "commune__contains=aix"),
    ("date_signalement__greater=2026-01-01", "date_signalement__greater=2026-01-01"),
    (
        "date_signalement entre deux dates, tri desc",
        "date_signalement__greater=2025-01-01&date_signalement__strictly_less=2025-07-01"
        "&date_signalement__sort=desc",
    ),
    (
        "identifiant__strictly_greater=500000, tri desc",
        "identifiant__strictly_greater=500000&identifiant__sort=desc",
    ),
    ("longitude__less=5.4 & latitude__greater=43.3", "longitude__less=5.4&latitude__greater=43.3"),
    ("statut__exact=clos, tri commune asc", "statut__exact=clos&commune__sort=asc"),
    ("tri statut asc puis commune desc (sans filtre)", "statut__sort=asc&commune__sort=desc"),
    ("sous_categorie__isnull", "sous_categorie__isnull="),
    ("statut__exact=clos, page 2 000 de 50", "statut__exact=clos&page=2000&page_size=50"),
    (
        "columns=identifiant,statut & commune_insee__exact=13001",
        "columns=identifiant,statut&commune_insee__exact=13001",
    ),
]


def ensure_published():
    sync_catalogue()
    jeu = JeuDeDonnees.objects.get(slug=SLUG)
    latest = jeu.latest
    newest = Signalement.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if latest is None or (newest and latest.created_at < newest):
        print("Publication du jeu des signalements…", flush=True)
        started = time.perf_counter()
        publish(jeu)
        print(f"  en {time.perf_counter() - started:.0f} s", flush=True)
        latest = jeu.latest
    return latest


def spaced(number):
    """1 009 371: the French thousands separator."""
    return f"{number:,}".replace(",", "\u202f")


def measure(client, url, query):
    samples, total = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(f"{url}?{query}" if query else url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (query, response.status_code, response.content[:300])
        total = response.json()["meta"]["total"]
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, total


def main():
    signalements.prepare_database()
    publication = ensure_published()
    parquet = publication.ressources.get(format="parquet")
    client = Client(HTTP_HOST="127.0.0.1")
    url = reverse("opendata-api:lignes", args=[SLUG])
    tabular._open.clear()
    cached = Path(tabular.cache_dir()) / f"{parquet.sha256}.arrow"
    cached.unlink(missing_ok=True)
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    build = time.perf_counter() - started
    print(
        f"\nAPI tabulaire, jeu « {SLUG} » v{publication.version} : {spaced(publication.lignes)} lignes "
        f"publiées · {RUNS} requêtes par cas, client de test Django (sans réseau) · "
        f"charge de la machine : {os.getloadavg()[0]:.1f}\n"
    )
    print(f"Construction du cache Arrow (1re requête après publication) : {build:.1f} s\n")
    print("| Requête | Lignes trouvées | Médiane (ms) | p95 (ms) |")
    print("|---|---:|---:|---:|")
    missed = []
    for label, query in FILTERS:
        median, p95, total = measure(client, url, query)
        print(f"| `{label}` | {spaced(total)} | {median:.1f} | {p95:.1f} |")
        if p95 >= TARGET_MS:
            missed.append(label)
    started = time.perf_counter()
    response = client.get(reverse("opendata-api:lignes-csv", args=[SLUG]), {"commune_insee__exact": "13001"})
    size = sum(len(chunk) for chunk in response.streaming_content)
    print(
        f"\nExtrait CSV de la commune 13001 ({response['X-Total-Count']} lignes, {size / 1e6:.1f} Mo) : "
        f"{time.perf_counter() - started:.2f} s"
    )
    if missed:
        print(f"\nObjectif p95 < {TARGET_MS} ms manqué pour : {', '.join(missed)}")
        sys.exit(1)
    print(f"\nObjectif atteint : p95 < {TARGET_MS} ms pour chaque filtre.")


if __name__ == "__main__":
    main()
