"""Share of each commune covered by the protected and natural areas, computed by PostGIS.

One computation, grouped by a mapping *key → types of areas*: for each commune of the territory and
each key, the areas of the key's types meeting the commune are cut along its boundary and **merged**
(ST_Union) before the surface is measured, so that overlapping zones are counted once: a ZNIEFF I
inside its ZNIEFF II, two SIC sharing a border, a site split in several features.

- ``recompute_couverture`` stores it in ``CouvertureCommune`` for every type on its own and for
  type "" (every type merged together: the commune's land under any protection or inventory, a SIC
  and a ZPS over the same marsh count once).
- ``coverage(groups)`` returns it for other groupings without storing them (the indicators' Natura
  2000 = SIC ∪ ZPS and ZNIEFF = I ∪ II): these keys are no type of area, so they stay out of the
  table, of its open-data publication and of the map's per-type table.

Surfaces are measured in Lambert-93 (the storage SRID: its scale error in Provence is below 0.1 % on
lengths), the commune's own polygon as denominator: sea areas outside the communal boundary count for
nothing. A geometry found invalid (a boundary or an area written by other means than the importer,
which repairs them) goes through ST_MakeValid first, so that one bad polygon cannot stop the
computation; a valid one is used as it is.

Every commune of the territory gets a row per key of which some area is stored, 0 % included (no area
of the key is a value, not a gap). ``millesime`` is the latest millésime of the layers of the key's
types, the same for every commune. The stored rows are derived data: each computation replaces all of
them, in the caller's transaction (the import's), so that they always match the stored areas.
"""

from django.db import connection
from django.utils import timezone

from .enums import TypeEspace
from .models import CouvertureCommune

COVERAGE = """
WITH groupes AS (
    SELECT cle, type FROM unnest(%(cles)s::text[], %(types)s::text[]) AS g(cle, type)
),
communes AS (
    SELECT id, ST_Area(geom) AS area,
           CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom) END AS geom
    FROM territoires_commune WHERE epci_id IS NOT NULL
),
espaces AS (
    SELECT type, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom) END AS geom
    FROM environnement_espacenaturel
),
millesimes AS (
    SELECT g.cle, max(e.millesime) AS millesime
    FROM groupes g JOIN environnement_espacenaturel e ON e.type = g.type
    GROUP BY g.cle
),
covered AS (
    SELECT c.id AS commune_id, g.cle, ST_Area(ST_Union(ST_Intersection(c.geom, e.geom))) AS area
    FROM communes c
    JOIN espaces e ON ST_Intersects(c.geom, e.geom)
    JOIN groupes g ON g.type = e.type
    GROUP BY c.id, g.cle
)
SELECT c.id AS commune_id, m.cle, m.millesime,
       COALESCE(v.area, 0) / 10000.0 AS surface_ha,
       CASE WHEN c.area > 0 THEN LEAST(100.0, COALESCE(v.area, 0) / c.area * 100.0) ELSE 0 END AS part
FROM communes c
CROSS JOIN millesimes m
LEFT JOIN covered v ON v.commune_id = c.id AND v.cle = m.cle
"""

STORE = (
    f"WITH couverture AS ({COVERAGE}) "  # noqa: S608 - code only, no input
    "INSERT INTO environnement_couverturecommune (commune_id, type, millesime, surface_ha, part, updated_at) "
    "SELECT couverture.*, %(now)s FROM couverture"
)

# What CouvertureCommune holds: every type on its own, and "" for all of them merged.
STORED = {kind: (kind,) for kind in TypeEspace.values} | {"": tuple(TypeEspace.values)}


def _params(groups):
    pairs = [(key, kind) for key, kinds in groups.items() for kind in kinds]
    return {"cles": [key for key, _ in pairs], "types": [kind for _, kind in pairs]}


def coverage(groups):
    """Coverage of every commune of the territory by each group of types, as ``recompute_couverture``
    computes and stores it: rows (commune id, key, millésime, surface_ha, part), for the keys of
    ``groups`` ({key: types of areas merged under it}) of which some area is stored."""
    with connection.cursor() as cursor:
        cursor.execute(COVERAGE, _params(groups))
        return cursor.fetchall()


def recompute_couverture():
    """Replace every CouvertureCommune row by the coverage of the stored areas; the rows written.

    One INSERT … SELECT: PostGIS cuts, merges and measures; nothing goes through Python. Run it inside
    the transaction that changed the areas (the import does), so a rolled-back import leaves the
    previous coverage."""
    CouvertureCommune.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(STORE, {**_params(STORED), "now": timezone.now()})
        return cursor.rowcount
