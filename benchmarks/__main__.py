"""`make bench`: timings of the portal's hot paths against the development database.

Each case runs several times; the table gives the median and the 95th percentile in
milliseconds. Requests go through Django's full stack (middleware, views, PostGIS, Redis)
with the test client, so network and gunicorn overhead are not included.
"""

import os
import statistics
import time
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "observatoire.settings.dev")
django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from observatoire.territoires.models import Commune  # noqa: E402

SIREN = os.environ.get("METROPOLE_EPCI_SIREN", "200054807")
SEARCHES = ["prix immobilier Aix", "prix", "logement social Marseille", "transport"]
POINTS = [(5.3741, 43.2951), (5.4454, 43.5263), (5.0500, 43.1500), (5.2000, 43.4000), (5.6000, 43.3000)]


def measure(label, func, runs, setup=None):
    samples = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    print(f"{label:<58} {runs:>5} {statistics.median(samples):>10.2f} {p95:>10.2f}")


def get(client, url, **headers):
    def run():
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)

    return run


def main():
    call_command("import_territoire", epci=SIREN, skip_if_loaded=True, verbosity=0)
    client = Client(HTTP_HOST="127.0.0.1")
    geojson = "/api/v1/territoire/communes.geojson"
    print(f"{'case':<58} {'runs':>5} {'median ms':>10} {'p95 ms':>10}")
    measure("GET communes.geojson, cache cold (PostGIS builds it)", get(client, geojson), 20, cache.clear)
    simplified = get(client, geojson + "?simplify=30")
    measure("GET communes.geojson?simplify=30, cache cold", simplified, 20, cache.clear)
    measure("GET communes.geojson, cache warm", get(client, geojson), 200)
    measure("GET / (home page, 92-row table)", get(client, "/"), 100)
    measure("GET /health/ (PostGIS + Redis broker + cache)", get(client, "/health/"), 100)
    for query in SEARCHES:  # the site search, no cache: every kind of result queried each time
        measure(f"GET /recherche/?q={query}", get(client, "/recherche/?" + urlencode({"q": query})), 50)
    measure(
        "point → commune (ST_Contains, 5 points)",
        lambda: [list(Commune.objects.containing(*p).values_list("insee", flat=True)) for p in POINTS],
        200,
    )
    measure(
        f"import_territoire --epci {SIREN} (re-run, upsert)",
        lambda: call_command("import_territoire", epci=SIREN, verbosity=0),
        3,
    )


if __name__ == "__main__":
    main()
