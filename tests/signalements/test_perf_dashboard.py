"""Dashboard snapshots: the fast path shows what a direct computation gives, and follows new reports.

The page reads a snapshot (signalements/dashboard/snapshots.py) computed once per scope and filters;
a snapshot older than FRESH_SECONDS is recomputed by a Celery worker while the page keeps showing it.
"""

import json
import re

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from observatoire.accounts.enums import Role
from observatoire.celery import app
from signalements.dashboard import hotspots, snapshots
from signalements.dashboard.forms import DashboardFilterForm
from signalements.dashboard.views import compute_dashboard, dashboard_data

from .conftest import VIEUX_PORT
from .test_dashboard import MARSEILLE_URL, METROPOLE_URL, at, cluster, jeu, login, report  # noqa: F401

AGGREGATES = ("percentile_cont", "ST_ClusterDBSCAN", "GROUP BY")


def default_values(**query):
    return DashboardFilterForm.from_query(query).values()


def script(html, element_id):
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def comparable(data):
    """The snapshot's content without what only says when and how it was stored."""
    data = dict(data)
    for name in (
        "cache_key",
        "computed_at",
        "periode",
        "hotspots_script",
        "figures_script",
        "hotspots_geojson",
    ):
        data.pop(name, None)
    data["hotspots"] = [{**vars(spot), "hull": None} for spot in data["hotspots"]]
    return data


@pytest.fixture
def with_hotspot(jeu, categories):  # noqa: F811 - the fixture of test_dashboard
    cluster(jeu, categories["proprete"], days_ago=4)
    return jeu


@pytest.mark.parametrize("scope", ["metropole", "13055"])
@pytest.mark.parametrize(
    "query", [{}, {"periode": "3", "categorie": "proprete"}, {"rayon": "40", "minimum": "3"}]
)
def test_snapshot_equals_a_direct_computation(with_hotspot, scope, query):
    commune = None if scope == "metropole" else with_hotspot
    values = default_values(**query)
    direct = compute_dashboard(commune, values)
    snapshot = dashboard_data(commune, values)
    assert comparable(snapshot) == comparable(direct)
    assert snapshot["periode"].since == direct["periode"].since
    # What the browser receives is the same GeoJSON and figures, serialised once.
    served = script(str(snapshot["hotspots_script"]), "tdb-points-noirs")
    assert served == json.loads(json.dumps(direct["hotspots_geojson"]))
    assert script(str(snapshot["figures_script"]), "tdb-figures") == json.loads(json.dumps(direct["figures"]))
    # A second read is the cached snapshot, unchanged.
    assert dashboard_data(commune, values) == snapshot


def test_page_serves_the_snapshot_without_aggregating_and_says_when_it_was_computed(client, with_hotspot):
    login(client, Role.ELU)
    client.get(MARSEILLE_URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MARSEILLE_URL)
    html = response.content.decode()
    assert not [q["sql"] for q in queries if any(word in q["sql"] for word in AGGREGATES)]
    # The filters' category list is part of the cached fragment too: no query for it.
    assert not [q["sql"] for q in queries if "signalements_categorie" in q["sql"]]
    assert re.search(r"Chiffres calculés le \d\d/\d\d/\d{4} à \d\d:\d\d", html)
    spots = response.context["hotspots"]
    assert spots and script(html, "tdb-points-noirs")["features"][0]["properties"]["nombre"] == spots[0].count
    assert response.context["kpis"]["deposes"] == 8 + 5


def test_filters_are_rendered_per_query_string(client, jeu):  # noqa: F811
    login(client, Role.ELU)
    client.get(MARSEILLE_URL)
    html = client.get(MARSEILLE_URL, {"periode": "3", "rayon": "5000"}).content.decode()
    assert '<option value="3" selected>' in html and "500 mètres au maximum" in html
    html = client.get(MARSEILLE_URL).content.decode()
    assert '<option value="12" selected>' in html and "500 mètres au maximum" not in html


def test_a_stale_snapshot_is_served_and_refreshed_once(monkeypatch, jeu):  # noqa: F811
    asked = []
    monkeypatch.setattr(snapshots, "publish_quietly", lambda task, *args: asked.append((task.name, args)))
    values = default_values(periode="6")
    first = dashboard_data(jeu, values)
    key = snapshots.snapshot_key(jeu, values)
    cache.set(key, {**first, "computed_at": first["computed_at"] - snapshots.FRESH_SECONDS - 1})
    assert dashboard_data(jeu, values)["kpis"] == first["kpis"]  # served at once, stale
    dashboard_data(jeu, values)  # a second view while the refresh is pending asks nothing more
    assert asked == [
        (
            "signalements.refresh_dashboard",
            ("13055", {"periode": "6", "rayon": "100", "minimum": "5", "jours": "90"}),
        )
    ]


def test_a_missing_or_expired_snapshot_is_computed_in_the_request(jeu, categories):  # noqa: F811
    values = default_values()
    assert dashboard_data(jeu, values)["kpis"]["deposes"] == 8
    report(jeu, categories["proprete"], days_ago=1)
    cache.delete(snapshots.snapshot_key(jeu, values))  # as after KEEP_SECONDS
    assert dashboard_data(jeu, values)["kpis"]["deposes"] == 9


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_new_report_appears_after_the_workers_refresh(client, jeu, categories):  # noqa: F811
    login(client, Role.ELU)
    assert client.get(MARSEILLE_URL).context["kpis"]["deposes"] == 8
    report(jeu, categories["proprete"], days_ago=0, geom=at(VIEUX_PORT, dx=900))
    key = snapshots.snapshot_key(jeu, default_values())
    stale = cache.get(key)
    cache.set(key, {**stale, "computed_at": stale["computed_at"] - snapshots.FRESH_SECONDS - 1})
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        # The stale picture is shown and a refresh is asked of the worker.
        assert client.get(MARSEILLE_URL).context["kpis"]["deposes"] == 8
        refreshed = wait_for(lambda: cache.get(key)["computed_at"] > stale["computed_at"])
    assert refreshed
    response = client.get(MARSEILLE_URL)
    assert response.context["kpis"]["deposes"] == 9
    assert "9</strong> signalements déposés" in response.content.decode()


def wait_for(condition, timeout=30):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_refresh_task_of_an_unknown_commune_does_nothing(territoire):
    from signalements.tasks import refresh_dashboard

    assert refresh_dashboard("99999", {}) is False
    assert refresh_dashboard(None, {}) is True
    assert cache.get(snapshots.snapshot_key(None, default_values())) is not None


def test_hotspots_table_keeps_no_hull_in_the_snapshot(with_hotspot):
    snapshot = dashboard_data(with_hotspot, default_values())
    assert [spot.hull for spot in snapshot["hotspots"]] == [None]
    assert hotspots.find_hotspots(commune=with_hotspot)[0].hull["type"] == "Polygon"


@pytest.mark.browser
def test_cached_page_draws_its_figures_and_hotspots_at_both_widths(page, live_server, with_hotspot):
    from pathlib import Path

    from playwright.sync_api import expect

    from tests.browser import signalements_data
    from tests.factories import UserFactory

    elu = UserFactory(role=Role.ELU)
    signalements_data.log_in(page, live_server.url, elu.email)
    for _ in range(2):  # the second view is served from the snapshot and its cached fragment
        page.goto(live_server.url + MARSEILLE_URL)
        expect(page.locator('[data-figure="volumes"]')).to_have_attribute("data-rendered", "true")
        expect(page.locator("#tdb-fraicheur")).to_contain_text("Chiffres calculés le")
        expect(page.locator("[data-point-noir]").first).to_be_visible()
    shots = Path("/work/helpers/shots")
    if shots.is_dir():
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            # Plotly redraws its responsive charts on the resize event.
            for _ in range(50):  # wait_for_function would evaluate a string, which the CSP refuses
                if page.evaluate("document.documentElement.scrollWidth") <= width:
                    break
                page.wait_for_timeout(100)
            page.wait_for_timeout(300)
            page.screenshot(path=str(shots / f"perf-tableau-de-bord-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
