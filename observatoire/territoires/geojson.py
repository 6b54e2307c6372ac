"""GeoJSON of the territory, built by PostGIS in one query and cached in Redis."""

from django.core.cache import cache
from django.db import connection
from django.db.models import Max

from .models import Commune

CACHE_SECONDS = 24 * 3600


def communes_feature_collection(simplify=0.0, epci_siren=None):
    """FeatureCollection (EPSG:4326) of the communes, as a JSON string.

    ``simplify`` is a tolerance in metres (the storage SRID is Lambert-93).
    The cache key carries the last update time, so a re-import invalidates it.
    """
    communes = Commune.objects.all()
    if epci_siren:
        communes = communes.filter(epci__siren=epci_siren)
    stamp = communes.aggregate(last=Max("updated_at"))["last"]
    key = f"territoires:communes.geojson:{simplify}:{epci_siren}:{stamp and stamp.timestamp()}"
    payload = cache.get(key)
    if payload is None:
        payload = _build(simplify, epci_siren)
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def _build(simplify, epci_siren):
    sql = """
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'features', COALESCE(json_agg(json_build_object(
                'type', 'Feature',
                'id', c.insee,
                'geometry', ST_AsGeoJSON(ST_Transform(ST_Multi(
                    CASE WHEN %(tol)s > 0
                         THEN ST_SimplifyPreserveTopology(c.geom, %(tol)s)
                         ELSE c.geom END), 4326), 6)::json,
                'properties', json_build_object(
                    'insee', c.insee, 'nom', c.nom, 'population', c.population)
            ) ORDER BY c.nom), '[]'::json)
        )::text
        FROM territoires_commune c
        LEFT JOIN territoires_epci e ON e.id = c.epci_id
        WHERE %(siren)s::text IS NULL OR e.siren = %(siren)s::text
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tol": simplify, "siren": epci_siren})
        return cursor.fetchone()[0]
