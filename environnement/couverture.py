"""Share of each commune covered by the protected and natural areas, computed by PostGIS.

For each commune of the territory and each type of area present, the areas of that type meeting
the commune are cut along its boundary and **merged** (ST_Union) before the surface is measured, so
that overlapping zones are counted once: a ZNIEFF I inside its ZNIEFF II, two SIC sharing a border,
a site split in several features. Type "" merges every type together (the commune's land under any
protection or inventory: a SIC and a ZPS over the same marsh count once). Surfaces are measured in
Lambert-93 (the storage SRID: its scale error in Provence is below 0.1 % on lengths), the commune's
own polygon as denominator: sea areas outside the communal boundary count for nothing. A geometry
found invalid (a boundary or an area written by other means than the importer, which repairs them)
goes through ST_MakeValid first, so that one bad polygon cannot stop the computation.

Every commune of the territory gets a row per type present, 0 % included (no area of the type is a
value, not a gap). ``millesime`` is the latest millésime of the layers of that type (of all layers
for type ""). The rows are derived data: each computation replaces all of them, in the caller's
transaction (the import's), so that they always match the stored areas.
"""

from django.db import connection
from django.utils import timezone

from .models import CouvertureCommune

SQL = """
WITH communes AS (
    SELECT id, ST_Area(geom) AS area,
           CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom) END AS geom
    FROM territoires_commune WHERE epci_id IS NOT NULL
),
espaces AS (
    SELECT type, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom) END AS geom
    FROM environnement_espacenaturel
),
types AS (
    SELECT type, max(millesime) AS millesime FROM environnement_espacenaturel GROUP BY type
    UNION ALL
    SELECT '', max(millesime) FROM environnement_espacenaturel HAVING count(*) > 0
),
covered AS (
    SELECT c.id AS commune_id, t.type,
           ST_Area(ST_Union(ST_Intersection(c.geom, e.geom))) AS area
    FROM communes c
    CROSS JOIN types t
    JOIN espaces e ON (t.type = '' OR e.type = t.type) AND ST_Intersects(c.geom, e.geom)
    GROUP BY c.id, t.type
)
INSERT INTO environnement_couverturecommune (commune_id, type, millesime, surface_ha, part, updated_at)
SELECT c.id, t.type, t.millesime,
       COALESCE(v.area, 0) / 10000.0,
       CASE WHEN c.area > 0 THEN LEAST(100.0, COALESCE(v.area, 0) / c.area * 100.0) ELSE 0 END,
       %s
FROM communes c
CROSS JOIN types t
LEFT JOIN covered v ON v.commune_id = c.id AND v.type = t.type
"""


def recompute_couverture():
    """Replace every CouvertureCommune row by the coverage of the stored areas; the rows written.

    One INSERT … SELECT: PostGIS cuts, merges and measures; nothing goes through Python. Run it inside
    the transaction that changed the areas (the import does), so a rolled-back import leaves the
    previous coverage."""
    CouvertureCommune.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(SQL, [timezone.now()])
        return cursor.rowcount
