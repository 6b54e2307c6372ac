"""Clustered GeoJSON of reports for maps, computed by PostGIS on a grid that follows the zoom.

Why a grid and not vector tiles: Leaflet draws a few hundred clusters without a plug-in, the
response is a small GeoJSON whatever the number of reports (1 M in the benchmark), and the same
endpoint serves the public map, the dashboard and the triage map. At street zoom (>= POINTS_ZOOM)
the points themselves are returned, capped.

Storage is Lambert-93 (metres), so a cell is a square of CELL_PIXELS screen pixels at that zoom.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from . import grid
from .enums import OPEN_STATUSES, Status
from .positions import public_point_sql

CELL_PIXELS = 80
POINTS_ZOOM = 17
MAX_POINTS = 2000
CACHE_SECONDS = 60
# Web Mercator metres per pixel at zoom 0, times cos(43.4°), the latitude of the territory.
METRES_PER_PIXEL_Z0 = 156_543.03 * 0.7266

STATUS_GROUPS = {
    "ouverts": [s.value for s in OPEN_STATUSES],
    "resolus": [Status.RESOLU.value, Status.CLOS.value],
    "tous": [s.value for s in Status if s not in (Status.REJETE, Status.DOUBLON)],
}


def cell_size(zoom):
    return METRES_PER_PIXEL_Z0 / (2**zoom) * CELL_PIXELS


def cluster_query(bbox, zoom, statuses, categorie=None, commune=None):
    """(sql, params) returning one GeoJSON FeatureCollection as text."""
    filters = ["s.geom && ST_Transform(ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326), %(srid)s)"]
    filters.append("s.status = ANY(%(statuses)s)")
    filters.append("s.rejection_reason <> 'spam'")
    params = dict(zip("wsen", bbox, strict=True), srid=settings.STORAGE_SRID, statuses=statuses)
    grid.add_scope_filters("s", filters, params, categorie, commune)
    where = " AND ".join(filters)
    if zoom >= POINTS_ZOOM:
        params["limit"] = MAX_POINTS
        sql = f"""
            SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
              json_build_object(
                'type', 'Feature',
                'geometry', ST_AsGeoJSON({public_point_sql("ST_Transform(s.geom, 4326)")}, 6)::json,
                'properties', json_build_object(
                    'count', 1, 'id', s.id, 'status', s.status, 'categorie', c.nom,
                    'created_at', s.created_at::date,
                    'reference', 'S-' || to_char(s.created_at, 'YYYY') || '-' || lpad(s.id::text, 6, '0'),
                    -- Free text only once a manager has read it.
                    'description', CASE WHEN s.description_validee THEN s.description END)
            )), '[]'::json))::text
            FROM (
                SELECT * FROM signalements_signalement s WHERE {where}
                ORDER BY s.created_at DESC LIMIT %(limit)s
            ) s
            JOIN signalements_categorie c ON c.id = s.categorie_id
        """  # noqa: S608 - the filters are fixed strings; values go through parameters
    else:
        params["cell"] = cell_size(zoom)
        sql = f"""
            SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
              json_build_object(
                'type', 'Feature',
                -- A cell of one report has that report's position as centre: rounded too.
                'geometry', ST_AsGeoJSON({public_point_sql("ST_Transform(g.centre, 4326)")}, 6)::json,
                'properties', json_build_object('count', g.n)
            )), '[]'::json))::text
            FROM (
                SELECT count(*) AS n, ST_Centroid(ST_Collect(s.geom)) AS centre
                FROM signalements_signalement s
                WHERE {where}
                -- Same cells as the pre-aggregated grid (floor, not ST_SnapToGrid's rounding).
                GROUP BY floor(ST_X(s.geom) / %(cell)s), floor(ST_Y(s.geom) / %(cell)s)
            ) g
        """  # noqa: S608 - the filters are fixed strings; values go through parameters
    return sql, params


def clusters(bbox, zoom, status="ouverts", categorie=None, commune=None):
    """GeoJSON text; cached a minute, since everyone looking at the metropolis asks the same.

    Up to zoom grid.FINEST_ZOOM the clusters come from the pre-aggregated grid (rebuilt every
    few minutes by Celery); closer in, or before the grid's first build, from a live query.
    """
    rounded = tuple(round(v, 3) for v in bbox)
    key = "signalements:clusters:" + ":".join(map(str, (*rounded, zoom, status, categorie, commune)))
    payload = cache.get(key)
    if payload is None:
        if zoom <= grid.FINEST_ZOOM and grid.is_built():
            sql, params = grid.grid_query(rounded, zoom, STATUS_GROUPS[status], cell_size, categorie, commune)
        else:
            sql, params = cluster_query(rounded, zoom, STATUS_GROUPS[status], categorie, commune)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            payload = cursor.fetchone()[0]
        cache.set(key, payload, CACHE_SECONDS)
    return payload
