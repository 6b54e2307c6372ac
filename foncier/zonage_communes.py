"""Zones of a PLU(i) cut along the commune boundaries, in PostGIS, one query for the whole file.

A PLUi of the CNIG 2017 standard has no INSEE code in ZONE_URBA: one polygon of an N or A zone may
span several communes. Each zone is intersected with the communes of the territory; each piece goes
to its commune and its surface is the piece's, so a commune's zones never add up to more than the
commune. A zone whose file gives its commune (INSEE, standard 2014) is cut to that commune only.

The zoning is drawn on the cadastre, the communes' boundaries come from the IGN: they differ by a
few metres, and a zone along a boundary leaves a strip in the neighbouring commune. A piece both
smaller than ``SLIVER_M2`` and than ``SLIVER_SHARE`` of its polygon is such a strip, dropped.
"""

from dataclasses import dataclass

import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

SLIVER_M2 = 500
SLIVER_SHARE = 0.005

SQL = """
WITH feature AS (
    SELECT f.n, f.idurba, f.libelle, f.code, f.commune_id, ST_GeomFromWKB(f.wkb, %(srid)s) AS g
    FROM unnest(%(numbers)s::int[], %(idurba)s::text[], %(libelle)s::text[], %(code)s::text[],
                %(commune)s::bigint[], %(wkb)s::bytea[]) AS f(n, idurba, libelle, code, commune_id, wkb)
), piece AS (
    SELECT feature.n, feature.idurba, feature.libelle, COALESCE(feature.code, c.insee) AS insee,
           c.id AS commune_id, ST_Area(feature.g) AS whole,
           ST_CollectionExtract(ST_Intersection(c.geom, feature.g), 3) AS g
    FROM feature
    JOIN territoires_commune c
      ON ST_Intersects(c.geom, feature.g)
     AND (c.id = feature.commune_id OR (feature.commune_id IS NULL AND c.epci_id IS NOT NULL))
), zone AS (
    SELECT idurba, libelle, insee, commune_id, array_agg(n ORDER BY n) AS numbers,
           ST_Multi(ST_CollectionExtract(ST_Union(g), 3)) AS g
    FROM piece
    WHERE ST_Area(g) > 0 AND (ST_Area(g) >= %(sliver_m2)s OR ST_Area(g) >= %(sliver_share)s * whole)
    GROUP BY idurba, libelle, insee, commune_id
)
SELECT idurba, libelle, insee, commune_id, numbers, ST_AsBinary(g), ST_Area(g) FROM zone
"""


@dataclass
class ZoneCut:
    idurba: str
    libelle: str
    insee: str
    commune_id: int
    numbers: list  # the features (numbered in file order) a piece of which makes the zone
    geom: GEOSGeometry
    surface_m2: float


def cut_by_commune(features):
    """``features``: (number, idurba, libelle, declared INSEE or None, its commune id or None, shapely
    MultiPolygon in the storage SRID). Returns one ``ZoneCut`` per (IDURBA, LIBELLE, commune): the
    union of the pieces of its features in the commune."""
    if not features:
        return []
    columns = list(zip(*features, strict=True))
    params = {
        "srid": settings.STORAGE_SRID,
        "numbers": list(columns[0]),
        "idurba": list(columns[1]),
        "libelle": list(columns[2]),
        "code": list(columns[3]),
        "commune": list(columns[4]),
        "wkb": [shapely.to_wkb(geom) for geom in columns[5]],
        "sliver_m2": SLIVER_M2,
        "sliver_share": SLIVER_SHARE,
    }
    with connection.cursor() as cursor:
        cursor.execute(SQL, params)
        rows = cursor.fetchall()
    return [
        ZoneCut(idurba, libelle, insee, commune_id, numbers,
                GEOSGeometry(memoryview(bytes(wkb)), srid=settings.STORAGE_SRID), round(area, 1))
        for idurba, libelle, insee, commune_id, numbers, wkb, area in rows
    ]  # fmt: skip
