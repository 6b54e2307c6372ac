"""GeoJSON of the territory, built by PostGIS in one query and cached in Redis."""

from django.core.cache import cache
from django.db import connection
from django.db.models import Max

from .enums import ZoneType
from .models import Commune, Zone

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


# Map background drawn when no tile server is configured: per zoom band, how far the outlines are
# simplified (metres, Lambert-93) and whether Marseille's arrondissements are drawn. Three bands
# keep the file light when the whole metropolis is on screen and precise when a street is.
BACKGROUND_BANDS = {
    "large": {"tolerance": 200, "arrondissements": False},  # zoom < 11
    "moyen": {"tolerance": 50, "arrondissements": True},  # zoom 11 to 13
    "fin": {"tolerance": 0, "arrondissements": True},  # zoom 14 and closer
}


def background_feature_collection(band):
    """FeatureCollection (EPSG:4326) of the outlines a map without tiles draws, as a JSON string.

    Each feature says its ``type`` (commune or arrondissement), its ``nom``, the short ``etiquette``
    shown on the map and ``etiquette_position`` ([lon, lat] inside the outline) for that label.
    """
    stamps = [Commune.objects.aggregate(last=Max("updated_at"))["last"]]
    stamps.append(Zone.objects.filter(type=ZoneType.ARRONDISSEMENT).aggregate(last=Max("updated_at"))["last"])
    key = "territoires:fond.geojson:{}:{}".format(band, ":".join(str(s and s.timestamp()) for s in stamps))
    payload = cache.get(key)
    if payload is None:
        payload = _build_background(**BACKGROUND_BANDS[band])
        cache.set(key, payload, CACHE_SECONDS)
    return payload


def _build_background(tolerance, arrondissements):
    sql = """
        WITH outlines AS (
            SELECT 'commune' AS type, c.insee AS code, c.nom, c.nom AS etiquette, c.geom
            FROM territoires_commune c
            UNION ALL
            SELECT 'arrondissement', z.code, z.nom,
                   regexp_replace(z.nom, '^.*\\m(\\d+(er|e))\\s+arrondissement$', '\\1 arr.', 'i'), z.geom
            FROM territoires_zone z
            WHERE %(arrondissements)s AND z.type = %(zone_type)s
        )
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'features', COALESCE(json_agg(json_build_object(
                'type', 'Feature',
                'id', o.type || ':' || o.code,
                'geometry', ST_AsGeoJSON(ST_Transform(ST_Multi(
                    CASE WHEN %(tol)s > 0
                         THEN ST_SimplifyPreserveTopology(o.geom, %(tol)s)
                         ELSE o.geom END), 4326), 5)::json,
                'properties', json_build_object(
                    'type', o.type, 'nom', o.nom, 'etiquette', o.etiquette,
                    'etiquette_position', json_build_array(
                        round(ST_X(ST_Transform(ST_PointOnSurface(o.geom), 4326))::numeric, 5),
                        round(ST_Y(ST_Transform(ST_PointOnSurface(o.geom), 4326))::numeric, 5)))
            ) ORDER BY o.type DESC, o.code), '[]'::json)
        )::text
        FROM outlines o
    """
    params = {"tol": tolerance, "arrondissements": arrondissements, "zone_type": ZoneType.ARRONDISSEMENT}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]
