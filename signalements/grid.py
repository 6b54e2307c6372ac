"""The pre-aggregated map grid (CelluleCarte): rebuild it, and read clusters from it."""

import time

from django.conf import settings
from django.db import connection, transaction

from .models import CelluleCarte
from .positions import public_point_sql

FINEST_ZOOM = 12
COARSEST_ZOOM = 8


def rebuild(cell_size):
    """Recompute every level in one transaction; readers see the old grid until it commits."""
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM signalements_cellulecarte")
        size = cell_size(FINEST_ZOOM)
        cursor.execute(
            """
            INSERT INTO signalements_cellulecarte
                (zoom, x, y, status, categorie_id, commune_id, n, sum_x, sum_y)
            SELECT %(zoom)s, floor(ST_X(geom) / %(size)s)::int, floor(ST_Y(geom) / %(size)s)::int,
                   status, categorie_id, commune_id, count(*), sum(ST_X(geom)), sum(ST_Y(geom))
            FROM signalements_signalement
            WHERE rejection_reason <> 'spam'
            GROUP BY 2, 3, 4, 5, 6
            """,
            {"zoom": FINEST_ZOOM, "size": size},
        )
        for zoom in range(FINEST_ZOOM - 1, COARSEST_ZOOM - 1, -1):
            cursor.execute(
                """
                INSERT INTO signalements_cellulecarte
                    (zoom, x, y, status, categorie_id, commune_id, n, sum_x, sum_y)
                SELECT %(zoom)s, floor(x / 2.0)::int, floor(y / 2.0)::int, status, categorie_id, commune_id,
                       sum(n), sum(sum_x), sum(sum_y)
                FROM signalements_cellulecarte WHERE zoom = %(finer)s
                GROUP BY 2, 3, 4, 5, 6
                """,
                {"zoom": zoom, "finer": zoom + 1},
            )
    return {"cells": CelluleCarte.objects.count(), "seconds": round(time.perf_counter() - started, 2)}


def is_built():
    return CelluleCarte.objects.exists()


CATEGORIE_FILTER = "{alias}.categorie_id = (SELECT id FROM signalements_categorie WHERE code = %(categorie)s)"
COMMUNE_FILTER = "{alias}.commune_id = (SELECT id FROM territoires_commune WHERE insee = %(commune)s)"


def add_scope_filters(alias, filters, params, categorie=None, commune=None):
    """Category (code) and commune (INSEE) filters, shared by the live and the grid queries.

    ``alias`` is a table alias written in our code ("s", "g"); the values go through parameters.
    """
    if categorie:
        filters.append(CATEGORIE_FILTER.format(alias=alias))
        params["categorie"] = categorie
    if commune:
        filters.append(COMMUNE_FILTER.format(alias=alias))
        params["commune"] = commune


def level_for(zoom):
    return max(COARSEST_ZOOM, min(zoom, FINEST_ZOOM))


# The mean position of a cell's reports; a cell of one report would otherwise give it exactly.
CELL_CENTRE = "ST_Transform(ST_SetSRID(ST_MakePoint(c.sx / c.n, c.sy / c.n), %(srid)s), 4326)"


def grid_query(bbox, zoom, statuses, cell_size, categorie=None, commune=None):
    """(sql, params) of clusters read from the grid, same GeoJSON shape as the live query."""
    level = level_for(zoom)
    filters = ["g.zoom = %(level)s", "g.status = ANY(%(statuses)s)"]
    params = dict(
        zip("wsen", bbox, strict=True),
        level=level,
        statuses=statuses,
        cell=cell_size(level),
        srid=settings.STORAGE_SRID,
    )
    filters.append(
        "g.x BETWEEN floor(ST_XMin(env.box) / %(cell)s) AND floor(ST_XMax(env.box) / %(cell)s)"
        " AND g.y BETWEEN floor(ST_YMin(env.box) / %(cell)s) AND floor(ST_YMax(env.box) / %(cell)s)"
    )
    add_scope_filters("g", filters, params, categorie, commune)
    where = " AND ".join(filters)
    sql = f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
          json_build_object(
            'type', 'Feature',
            'geometry', ST_AsGeoJSON({public_point_sql(CELL_CENTRE)}, 6)::json,
            'properties', json_build_object('count', c.n)
        )), '[]'::json))::text
        FROM (
            SELECT sum(g.n) AS n, sum(g.sum_x) AS sx, sum(g.sum_y) AS sy
            FROM signalements_cellulecarte g,
                 (SELECT ST_Transform(ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326), %(srid)s) AS box) env
            WHERE {where}
            GROUP BY g.x, g.y
        ) c
    """  # noqa: S608 - fixed filter strings; values go through parameters
    return sql, params
