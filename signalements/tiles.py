"""The reports' vector tiles at low zoom read the pre-aggregated map grid (ADR 5), not a million rows.

A live GROUP BY over the reports of a zoom-10 tile takes seconds; the grid (CelluleCarte, rebuilt
every 5 minutes) answers in milliseconds with the same cells as the GeoJSON cluster map, each
cluster at the mean position of its reports, rounded like every public position.
"""

from django.conf import settings

from observatoire.ogc.tilesets import Presummed

from .clusters import cell_size
from .enums import Status
from .grid import FINEST_ZOOM, level_for
from .positions import public_point_sql

# Those the « signalements » collection leaves out (its ``where``).
HIDDEN_STATUSES = [Status.REJETE.value, Status.DOUBLON.value]

CENTRE = "ST_Transform(ST_SetSRID(ST_MakePoint(c.sx / c.n, c.sy / c.n), %(grid_srid)s), 4326)"
GRID_CLUSTERS = f"""
    SELECT {public_point_sql(CENTRE)} AS geom, c.n::int AS count
    FROM (
        SELECT sum(g.n) AS n, sum(g.sum_x) AS sx, sum(g.sum_y) AS sy
        FROM signalements_cellulecarte g
        WHERE g.zoom = %(grid_level)s AND g.status <> ALL(%(grid_hidden)s)
          AND g.x BETWEEN floor(ST_XMin(env.box) / %(grid_cell)s) AND floor(ST_XMax(env.box) / %(grid_cell)s)
          AND g.y BETWEEN floor(ST_YMin(env.box) / %(grid_cell)s) AND floor(ST_YMax(env.box) / %(grid_cell)s)
        GROUP BY g.x, g.y
    ) c
"""  # noqa: S608 - our constants only; values go through parameters


def grid_clusters(zoom):
    """Clusters of the grid at ``zoom`` (``tilesets.Aggregation.presummed``); None above its finest level."""
    if zoom > FINEST_ZOOM:
        return None
    level = level_for(zoom)
    return Presummed(
        GRID_CLUSTERS,
        {
            "grid_level": level,
            "grid_cell": cell_size(level),
            "grid_hidden": HIDDEN_STATUSES,
            "grid_srid": settings.STORAGE_SRID,
        },
        tables=("signalements_cellulecarte",),
    )
