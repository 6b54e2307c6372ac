"""Dashboard snapshots: what the page shows, computed off the request path and served stale-while-refreshing.

At a million reports the figures take seconds to compute (medians over the resolved reports,
DBSCAN hotspots). A snapshot per scope and filters is kept in the cache; a page view older than
``FRESH_SECONDS`` asks Celery to recompute it and meanwhile shows the previous one, with the time
it was computed. Only the very first view of a scope and filters (or one after ``KEEP_SECONDS``
without any refresh, e.g. no worker) computes in the request.

Time-based rather than keyed on the reports' data version: « open today », the months of the
period and the hotspots' window move with the clock even when no report is written.

The snapshot holds the heavy parts already serialised (the plotly figures and the hotspots'
GeoJSON as the page's JSON script elements): unpickling a hundred hulls on every view cost more
than the rest of the page.
"""

import dataclasses
import time

from django.core.cache import cache
from django.utils.html import json_script

from observatoire.core.publish import publish_quietly

# A snapshot older than this is recomputed in the background on the next view.
FRESH_SECONDS = 300
# After this, with no refresh done (worker down), the next view computes in the request.
KEEP_SECONDS = 3600
# A refresh asked and not done within this time may be asked again (lost task, dead broker).
REFRESH_LOCK_SECONDS = 600
KEY_PREFIX = "signalements:tdb:"


def snapshot_key(commune, values):
    categorie = values["categorie"]
    parts = (
        commune.insee if commune else "metropole",
        values["periode"],
        categorie.code if categorie else "",
        values["rayon"],
        values["minimum"],
        values["jours"],
    )
    return KEY_PREFIX + ":".join(str(part) for part in parts)


def task_arguments(commune, values):
    """The task's arguments: the commune's INSEE code and the filters as a query string would give them."""
    categorie = values["categorie"]
    query = {name: str(values[name]) for name in ("periode", "rayon", "minimum", "jours")}
    if categorie is not None:
        query["categorie"] = categorie.code
    return commune.insee if commune else None, query


def pack(data):
    """The computed figures as stored: heavy parts as ready-to-serve JSON script elements."""
    data = dict(data)
    data["hotspots_script"] = json_script(data.pop("hotspots_geojson"), "tdb-points-noirs")
    data["figures_script"] = json_script(data["figures"], "tdb-figures")
    # The table needs no hull: it is in the GeoJSON above.
    data["hotspots"] = [dataclasses.replace(spot, hull=None) for spot in data["hotspots"]]
    return data


def store(key, computed, now=None):
    # computed_at also keys the page's rendered fragment: a refresh renders anew.
    data = {**pack(computed), "cache_key": key, "computed_at": now or time.time()}
    cache.set(key, data, KEEP_SECONDS)
    cache.delete(key + ":refresh")
    return data


def is_stale(data, now=None):
    return (now or time.time()) - data["computed_at"] > FRESH_SECONDS


def ask_refresh(commune, values, key):
    """Have Celery recompute this snapshot, once at a time (the lock expires if the task is lost)."""
    if cache.add(key + ":refresh", 1, REFRESH_LOCK_SECONDS):
        from ..tasks import refresh_dashboard  # the tasks module imports this package lazily too

        publish_quietly(refresh_dashboard, *task_arguments(commune, values))
        return True
    return False
