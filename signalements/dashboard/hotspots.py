"""Hotspots ("points noirs"): places where reports keep coming back, found by PostGIS.

ST_ClusterDBSCAN groups the reports of the last DAYS days: a report belongs to a hotspot when
at least MIN_POINTS reports (itself included) lie within EPS_METRES of it, or when it is within
EPS_METRES of such a report. Distances are in metres because geometries are stored in
Lambert-93 (EPSG:2154). Categories are clustered together on purpose: a street corner with
dumped rubbish, a broken bench and a dark lamp post is one place to look at; the dominant
category says what to look at first.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from ..enums import OPEN_STATUSES, RejectionReason

EPS_METRES = 100
MIN_POINTS = 5
DAYS = 90
# Bounds the dashboard form accepts: wide enough to explore, narrow enough to stay meaningful
# (and fast: a large radius over a whole year would chain half a city into one cluster).
EPS_BOUNDS = (20, 500)
MIN_POINTS_BOUNDS = (3, 50)
DAYS_BOUNDS = (7, 365)
# The hull is drawn a little larger than the points, so that 5 reports at the same address
# (a point) or along a kerb (a line) still give an area one can see and click on the map.
HULL_MARGIN_METRES = 15
LIMIT = 100


@dataclass(frozen=True)
class Hotspot:
    rank: int
    count: int
    open_count: int
    categorie: str
    categories: int
    commune_insee: str
    commune: str
    first_at: datetime
    last_at: datetime
    hull: dict
    lon: float
    lat: float

    @property
    def first_date(self) -> date:
        return timezone.localdate(self.first_at)

    @property
    def last_date(self) -> date:
        return timezone.localdate(self.last_at)


SQL = """
WITH recent AS (
    SELECT s.id, s.geom, s.categorie_id, s.commune_id, s.created_at, s.status
    FROM signalements_signalement s
    WHERE {where}
),
clustered AS (
    SELECT r.*, ST_ClusterDBSCAN(r.geom, eps := %(eps)s, minpoints := %(minpoints)s) OVER () AS cluster
    FROM recent r
),
grouped AS (
    SELECT cluster,
           count(*) AS n,
           count(*) FILTER (WHERE status = ANY(%(open)s)) AS n_open,
           count(DISTINCT categorie_id) AS n_categories,
           mode() WITHIN GROUP (ORDER BY categorie_id) AS categorie_id,
           mode() WITHIN GROUP (ORDER BY commune_id) AS commune_id,
           min(created_at) AS first_at,
           max(created_at) AS last_at,
           ST_Collect(geom) AS points
    FROM clustered
    WHERE cluster IS NOT NULL
    GROUP BY cluster
)
SELECT g.n, g.n_open, cat.nom, g.n_categories, c.insee, c.nom, g.first_at, g.last_at,
       ST_AsGeoJSON(ST_Transform(ST_Buffer(ST_ConvexHull(g.points), %(margin)s, 4), 4326), 6),
       ST_X(ST_Transform(ST_Centroid(g.points), 4326)),
       ST_Y(ST_Transform(ST_Centroid(g.points), 4326))
FROM grouped g
JOIN signalements_categorie cat ON cat.id = g.categorie_id
JOIN territoires_commune c ON c.id = g.commune_id
ORDER BY g.n DESC, g.last_at DESC
LIMIT %(limit)s
"""


def find_hotspots(
    *, commune=None, categorie=None, eps=EPS_METRES, minpoints=MIN_POINTS, days=DAYS, now=None, limit=LIMIT
):
    """Hotspots among recent reports (spam excluded), largest first, in one query."""
    now = now or timezone.now()
    filters = ["s.created_at >= %(since)s", "s.rejection_reason <> %(spam)s"]
    params = {
        "since": now - timedelta(days=days),
        "spam": RejectionReason.SPAM.value,
        "eps": float(eps),
        "minpoints": int(minpoints),
        "open": [s.value for s in OPEN_STATUSES],
        "margin": HULL_MARGIN_METRES,
        "limit": limit,
    }
    if commune is not None:
        filters.append("s.commune_id = %(commune)s")
        params["commune"] = commune.pk
    if categorie is not None:
        filters.append("s.categorie_id = %(categorie)s")
        params["categorie"] = categorie.pk
    sql = SQL.format(where=" AND ".join(filters))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Hotspot(
            rank=rank,
            count=n,
            open_count=n_open,
            categorie=categorie_nom,
            categories=n_categories,
            commune_insee=insee,
            commune=commune_nom,
            first_at=first_at,
            last_at=last_at,
            hull=json.loads(hull),
            lon=lon,
            lat=lat,
        )
        for rank, (
            n,
            n_open,
            categorie_nom,
            n_categories,
            insee,
            commune_nom,
            first_at,
            last_at,
            hull,
            lon,
            lat,
        ) in enumerate(rows, start=1)
    ]


def feature_collection(hotspots):
    """The hotspots as GeoJSON (EPSG:4326) for the dashboard map."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": spot.rank,
                "geometry": spot.hull,
                "properties": {
                    "rang": spot.rank,
                    "nombre": spot.count,
                    "ouverts": spot.open_count,
                    "categorie": spot.categorie,
                    "commune": spot.commune,
                    "premier": spot.first_date.isoformat(),
                    "dernier": spot.last_date.isoformat(),
                    # The hull is a few pixels wide at the scale of the metropolis: the
                    # centre lets the map pin it with a marker.
                    "centre": [spot.lon, spot.lat],
                },
            }
            for spot in hotspots
        ],
    }
