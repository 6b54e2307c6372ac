"""Polygon layers as published (GeoJSON, GeoPackage, Shapefile), read with pyogrio for the foncier importers.

Every geometry ends up valid, a MultiPolygon, in the storage SRID; every error names the feature
(numbered from 1 in file order) and the field. The commune comes from the file's INSEE code, or,
when the code is empty, from the commune that holds the largest part of the polygon (PostGIS,
one query for the whole file).
"""

import datetime
import logging
import math
import unicodedata

import pyogrio
import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from pyogrio.errors import DataLayerError, DataSourceError

from observatoire.imports.base import ErrorList, ImportRejected, TooManyErrors
from observatoire.territoires.services import official_codes

GEOMETRY = "géométrie"
logger = logging.getLogger(__name__)


class FeatureErrors(ErrorList):
    """Errors of a vector file: « entité N, champ C : raison »."""

    def add(self, line, column, reason):
        self.append(f"entité {line}, champ {column} : {reason}" if column else f"entité {line} : {reason}")
        if len(self) >= self.limit:
            raise TooManyErrors


def read_layer(path, layer=None, preferred=None):
    """The layer as a GeoDataFrame with its CRS; ImportRejected when unreadable, ambiguous or CRS-less."""
    try:
        names = [row[0] for row in pyogrio.list_layers(str(path))]
    except (DataSourceError, DataLayerError, OSError) as error:
        # GDAL's English message names the server's temporary file: kept for the logs only.
        logger.info("Couche vectorielle illisible %s : %s", path, error)
        raise ImportRejected(
            "Fichier illisible ou format non reconnu : GeoJSON, GeoPackage ou Shapefile zippé attendu ; "
            "rien n'a été importé."
        ) from error
    if layer is None and len(names) > 1:
        if preferred and preferred in names:
            layer = preferred
        else:
            raise ImportRejected(
                f"Plusieurs couches dans le fichier ({', '.join(names)}) : précisez laquelle."
            )
    if layer is not None and layer not in names:
        raise ImportRejected(f"Couche « {layer} » absente ; couches du fichier : {', '.join(names)}.")
    try:
        frame = pyogrio.read_dataframe(str(path), layer=layer)
    except (DataSourceError, DataLayerError) as error:
        logger.info("Couche vectorielle illisible %s : %s", path, error)
        raise ImportRejected("Couche illisible : rien n'a été importé.") from error
    if frame.empty:
        raise ImportRejected("La couche ne contient aucun objet : rien n'a été importé.")
    if "geometry" not in frame or frame.crs is None:
        raise ImportRejected(
            "Système de coordonnées absent : le fichier doit le déclarer (fichier .prj d'un Shapefile, "
            "par exemple) ; rien n'a été importé."
        )
    return frame


def columns_for(frame, wanted, required):
    """Canonical field name → the file's column, matched without case and by Shapefile truncation.

    A Shapefile keeps ten characters of a field name: ``potentiel_logements`` arrives as
    ``potentiel_``; both spellings are accepted.
    """
    actual = {str(name).lower(): name for name in frame.columns if name != "geometry"}
    found = {}
    for name in wanted:
        for candidate in (name.lower(), name.lower()[:10]):
            if candidate in actual:
                found[name] = actual[candidate]
                break
    missing = [name for name in required if name not in found]
    if missing:
        raise ImportRejected(
            f"Champ(s) absent(s) : {', '.join(missing)}. Champs du fichier : {', '.join(actual.values())}."
        )
    return found


def text(value):
    """A cell as stripped text: None, NaN and pandas' NA are empty; 13001.0 reads 13001."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    try:
        if value != value:  # pandas.NA and NaT compare unequal to themselves
            return ""
    except TypeError:
        return ""
    return str(value).strip()


def plain(value):
    """Lower case, no accents, spaces for separators: « Dent_Creuse » → « dent creuse »."""
    value = unicodedata.normalize("NFKD", text(value)).encode("ascii", "ignore").decode()
    return " ".join(value.lower().replace("_", " ").replace("-", " ").replace("'", " ").split())


def parse_date(value):
    """CNIG dates are AAAAMMJJ; ISO dates and the date types GeoPackage drivers return pass too."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    raw = text(value)
    if not raw:
        return None
    for form in ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(raw, form).date()
        except ValueError:
            continue
    raise ValueError(raw)


def storage_geometries(frame, errors):
    """Feature number → a valid shapely MultiPolygon in the storage SRID; errors for the others."""
    projected = frame.geometry.to_crs(settings.STORAGE_SRID)
    result = {}
    for number, geom in enumerate(projected, start=1):
        if geom is None or geom.is_empty:
            errors.add(number, GEOMETRY, "géométrie vide.")
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            errors.add(number, GEOMETRY, f"géométrie {geom.geom_type}, polygone attendu.")
            continue
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        polygons = [part for part in shapely.get_parts(geom) if part.geom_type in ("Polygon", "MultiPolygon")]
        merged = shapely.union_all(polygons) if len(polygons) > 1 else (polygons[0] if polygons else None)
        if merged is None or merged.is_empty or merged.area == 0:
            errors.add(number, GEOMETRY, "géométrie invalide sans surface.")
            continue
        result[number] = as_multipolygon(merged)
    return result


def as_multipolygon(geom):
    if geom.geom_type == "Polygon":
        return shapely.MultiPolygon([geom])
    if geom.geom_type == "MultiPolygon":
        return geom
    return shapely.MultiPolygon(
        [p for part in shapely.get_parts(geom) for p in shapely.get_parts(part) if p.geom_type == "Polygon"]
    )


def to_geos(geom):
    return GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=settings.STORAGE_SRID)


class CommuneResolver:
    """INSEE code (arrondissements included) or largest overlap → (commune id, code); None outside."""

    def __init__(self):
        self.codes = official_codes()

    def from_code(self, raw):
        """(commune id, code), None when outside the territory; ValueError when the code is malformed."""
        code = raw.zfill(5)
        if len(code) != 5 or not code.isalnum():
            raise ValueError(raw)
        commune = self.codes.get(code)
        return (commune, code) if commune else None

    def by_overlap(self, geoms):
        """Feature number → (commune id, INSEE code) of the commune holding most of it (one query)."""
        if not geoms:
            return {}
        numbers = list(geoms)
        sql = """
            SELECT DISTINCT ON (f.n) f.n, c.id, c.insee
            FROM unnest(%s::int[], %s::bytea[]) AS f(n, wkb)
            CROSS JOIN LATERAL (SELECT ST_GeomFromWKB(f.wkb, %s) AS g) AS shape
            JOIN territoires_commune c ON c.epci_id IS NOT NULL AND ST_Intersects(c.geom, shape.g)
            ORDER BY f.n, ST_Area(ST_Intersection(c.geom, shape.g)) DESC
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [numbers, [shapely.to_wkb(geoms[n]) for n in numbers], settings.STORAGE_SRID])
            return {n: (commune, insee) for n, commune, insee in cursor.fetchall()}
