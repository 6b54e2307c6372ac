"""Public GeoJSON of reports, built by PostGIS in one query.

Public means: no reporter, e-mail, IP address or tracking token ever leaves this module, and
the free text only once a manager has read it (``description_validee``). The properties are
chosen column by column in the SQL below; nothing is copied wholesale from the row.
"""

import json

from django.conf import settings
from django.db import connection

from observatoire.territoires.geometry import clip_to_work_area

from ..enums import OPEN_STATUSES, RejectionReason, Status
from ..positions import public_point_sql

# A browser clusters 20 000 markers comfortably; beyond that the response says it is truncated
# and the most recent reports are the ones kept.
MAX_FEATURES = 20_000

STATUS_GROUPS = {
    "ouverts": [s.value for s in OPEN_STATUSES],
    "resolus": [Status.RESOLU.value, Status.CLOS.value],
    # Rejected reports and duplicates are not shown: the original report already stands there.
    "tous": [s.value for s in Status if s not in (Status.REJETE, Status.DOUBLON)],
}
STATUS_LABELS = {s.value: s.label for s in Status}

SQL = """
WITH selected AS (
    SELECT s.id, s.created_at, s.status, s.geom, s.categorie_id, s.description, s.description_validee
    FROM signalements_signalement s
    WHERE {where}
    ORDER BY s.created_at DESC, s.id DESC
    LIMIT %(cap)s + 1
),
shown AS (
    SELECT * FROM selected ORDER BY created_at DESC, id DESC LIMIT %(cap)s
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'truncated', (SELECT count(*) FROM selected) > %(cap)s,
    'limit', %(cap)s,
    'features', COALESCE((
        SELECT json_agg(json_build_object(
            'type', 'Feature',
            'id', sh.id,
            'geometry', ST_AsGeoJSON({point}, 6)::json,
            'properties', jsonb_build_object(
                'id', sh.id,
                -- Same as Signalement.reference: year of the UTC timestamp, id on 6 digits at least.
                'reference', 'S-' || to_char(sh.created_at AT TIME ZONE 'UTC', 'YYYY') || '-'
                             || lpad(sh.id::text, greatest(6, length(sh.id::text)), '0'),
                'categorie', c.nom,
                'status', sh.status,
                'status_label', %(labels)s::jsonb ->> sh.status,
                'created_at', to_char(sh.created_at AT TIME ZONE %(tz)s, 'YYYY-MM-DD')
            ) || CASE WHEN sh.description_validee
                      THEN jsonb_build_object('description', sh.description)
                      ELSE '{{}}'::jsonb END
        ) ORDER BY sh.created_at DESC, sh.id DESC)
        FROM shown sh
        JOIN signalements_categorie c ON c.id = sh.categorie_id
    ), '[]'::json)
)::text
"""


def feature_collection(status="tous", categorie=None, commune=None, bbox=None, cap=MAX_FEATURES):
    """A FeatureCollection (EPSG:4326) as JSON text, with ``truncated`` when over ``cap``.

    ``categorie`` and ``commune`` are model instances (already validated); ``bbox`` is
    (west, south, east, north) in WGS84.
    """
    filters = ["s.status = ANY(%(statuses)s)", "s.rejection_reason <> %(spam)s"]
    params = {
        "statuses": STATUS_GROUPS[status],
        "spam": RejectionReason.SPAM.value,
        "labels": json.dumps(STATUS_LABELS),
        "tz": settings.TIME_ZONE,
        "cap": cap,
    }
    if categorie is not None:
        filters.append("s.categorie_id = %(categorie)s")
        params["categorie"] = categorie.pk
    if commune is not None:
        filters.append("s.commune_id = %(commune)s")
        params["commune"] = commune.pk
    if bbox is not None:
        # Clipped before PostGIS projects it to Lambert-93: a world-wide bbox must not fail.
        clipped = clip_to_work_area(bbox)
        if clipped is None:
            filters.append("FALSE")
        else:
            filters.append(
                "ST_Intersects(s.geom, "
                "ST_Transform(ST_MakeEnvelope(%(w)s, %(s)s, %(e)s, %(n)s, 4326), %(srid)s))"
            )
            params.update(dict(zip("wsen", clipped, strict=True)), srid=settings.STORAGE_SRID)
    sql = SQL.format(where=" AND ".join(filters), point=public_point_sql("ST_Transform(sh.geom, 4326)"))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]
