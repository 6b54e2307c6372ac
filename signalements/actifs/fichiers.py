"""Reading an asset inventory as its owner publishes it: one point and a few fields per asset.

Vector files (GeoJSON, GeoPackage, Shapefile) go through ``territoires.vector_files`` (layers, zips,
2D forced, CRS declared). CSVs are the open-data portals' exports: ``;`` or ``,``, UTF-8 or
Windows-1252/Latin-1, the position as longitude/latitude columns, as Lambert-93 ``x``/``y`` (an
SDIS's PEI export, a GIS service's table) or as OpenDataSoft's ``geo_point_2d`` (« lat, lon »).

``read`` gives ``Inventory``: a field per canonical name and a point (storage SRID) per feature
number (a CSV's line number, or the feature's rank in a vector layer), errors naming both.
"""

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.conf import settings
from pyproj import Transformer

from observatoire.core.textsearch import fold_accents
from observatoire.imports.base import ErrorList, ImportRejected, TooManyErrors
from observatoire.imports.files import is_zip, open_text, read_table, zip_members
from observatoire.territoires.vector_files import FeatureErrors, read_layer, text

COMMAND = "import_actifs"
CSV_SUFFIXES = (".csv", ".txt")
# Column names producers use, most specific first (normalised: lower case, no accent, « _ » for blanks).
IDENTIFIANT = (
    *("identifiant", "id_actif", "id_pl", "id_point_lumineux", "idbase", "id_sdis", "id_gestion"),
    *("num_point", "numero_point", "reference", "ref", "code", "id", "objectid", "gid", "fid"),
)
NATURE = (
    *("nature", "type_support", "type_pei", "type_mobilier", "type", "libelle_francais", "genre", "modele"),
)
LIBELLE = ("libelle", "nom", "lieu_adresse", "adresse", "localisation", "situation", "voie", "emplacement")
LONGITUDE = ("lon", "long", "longitude", "lng", "x_wgs84", "coord_x_wgs84")
LATITUDE = ("lat", "latitude", "y_wgs84", "coord_y_wgs84")
X_L93 = ("x", "x_l93", "xl93", "x_lambert93", "coord_x", "x_2154")
Y_L93 = ("y", "y_l93", "yl93", "y_lambert93", "coord_y", "y_2154")
GEO_POINT = ("geo_point_2d", "geo_point", "coordonnees", "geopoint")
# Lambert-93 over metropolitan France, with a margin: values outside are not Lambert-93 metres.
L93_X, L93_Y = (50_000, 1_300_000), (6_000_000, 7_200_000)


def plain(name):
    """« LIEU / ADRESSE » → ``lieu_adresse``: how a column is compared with the known names."""
    name = fold_accents(str(name).lstrip("\ufeff"))
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


@dataclass
class Inventory:
    """What a file holds: per feature number, its fields (canonical names) and its point."""

    label: str
    errors: ErrorList
    columns: dict = field(default_factory=dict)  # canonical name → the file's column
    rows: dict = field(default_factory=dict)  # number → {file column: text}
    points: dict = field(default_factory=dict)  # number → shapely Point in the storage SRID

    def value(self, number, name):
        column = self.columns.get(name)
        return self.rows[number].get(column, "") if column else ""


def _first(names, candidates):
    found = {plain(name): name for name in names}
    return next((found[c] for c in candidates if c in found), None)


def _pick_columns(names, identifiant=None):
    columns = {
        "identifiant": identifiant or _first(names, IDENTIFIANT),
        "nature": _first(names, NATURE),
        "libelle": _first(names, LIBELLE),
    }
    if identifiant and identifiant not in names:
        raise ImportRejected(
            f"Colonne « {identifiant} » absente (option --champ-identifiant). Colonnes lues : "
            f"{', '.join(names)}. Rien n'a été importé."
        )
    if columns["identifiant"] is None:
        raise ImportRejected(
            "Aucune colonne d'identifiant : le fichier doit en avoir une (identifiant, id, idbase, id_sdis, "
            "num_point…) ou la commande doit la nommer (--champ-identifiant). Colonnes lues : "
            f"{', '.join(names)}. Rien n'a été importé."
        )
    return {key: value for key, value in columns.items() if value}


def is_table(path):
    """A CSV (plain, gzipped or in a zip), as opposed to a vector layer."""
    names = zip_members(path) if is_zip(path) else [Path(path).name.removesuffix(".gz")]
    return any(name.lower().endswith(CSV_SUFFIXES) for name in names)


def read(path, identifiant=None):
    return _read_csv(path, identifiant) if is_table(path) else _read_vector(path, identifiant)


def _read_vector(path, identifiant):
    frame = read_layer(path, command=COMMAND)
    names = [str(name) for name in frame.columns if name != "geometry"]
    inventory = Inventory(frame.attrs.get("layer", Path(path).name), FeatureErrors())
    inventory.columns = _pick_columns(names, identifiant)
    projected = frame.geometry.to_crs(settings.STORAGE_SRID)
    records = frame.drop(columns="geometry").to_dict("records")
    with contextlib.suppress(TooManyErrors):
        for number, (record, geom) in enumerate(zip(records, projected, strict=True), start=1):
            inventory.rows[number] = {str(key): text(value) for key, value in record.items()}
            point = _single_point(geom)
            if point is None:
                kind = "vide" if geom is None or geom.is_empty else geom.geom_type
                inventory.errors.add(number, "géométrie", f"géométrie {kind}, point attendu.")
            else:
                inventory.points[number] = point
    return inventory


def _single_point(geom):
    """A point, or a multipoint of one point (GeoPackages often store points as MultiPoint)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Point":
        return geom
    if geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
        return geom.geoms[0]
    return None


class _Positions:
    """How a CSV gives positions: which columns, in which system; and the reading of one row."""

    def __init__(self, header):
        self.geo_point = _first(header, GEO_POINT)
        self.lon, self.lat = _first(header, LONGITUDE), _first(header, LATITUDE)
        self.x, self.y = _first(header, X_L93), _first(header, Y_L93)
        if not (self.geo_point or (self.lon and self.lat) or (self.x and self.y)):
            raise ImportRejected(
                "Aucune colonne de position : le fichier doit avoir longitude et latitude (lon/lat, "
                "long/lat, longitude/latitude), x et y en Lambert-93, ou geo_point_2d. Colonnes lues : "
                f"{', '.join(header)}. Rien n'a été importé."
            )
        self.to_storage = {
            srid: Transformer.from_crs(srid, settings.STORAGE_SRID, always_xy=True) for srid in (4326, 2154)
        }

    def point(self, record, line, errors):
        if self.geo_point and record[self.geo_point]:
            parts = record[self.geo_point].replace(";", ",").split(",")
            if len(parts) != 2:
                wrong = f"« {record[self.geo_point]} » : « latitude, longitude » attendu."
                errors.add(line, self.geo_point, wrong)
                return None
            lat, lon = (_number(p, line, self.geo_point, errors) for p in parts)
            return self._wgs84(lon, lat, line, self.geo_point, errors)
        if self.lon and self.lat and (record[self.lon] or record[self.lat]):
            lon = _number(record[self.lon], line, self.lon, errors)
            lat = _number(record[self.lat], line, self.lat, errors)
            return self._wgs84(lon, lat, line, self.lon, errors)
        if self.x and self.y and (record[self.x] or record[self.y]):
            x = _number(record[self.x], line, self.x, errors)
            y = _number(record[self.y], line, self.y, errors)
            if x is None or y is None:
                return None
            if L93_X[0] <= x <= L93_X[1] and L93_Y[0] <= y <= L93_Y[1]:
                return shapely.Point(self.to_storage[2154].transform(x, y))
            if -180 <= x <= 180 and -90 <= y <= 90:  # x/y columns holding degrees
                return self._wgs84(x, y, line, self.x, errors)
            errors.add(line, self.x, f"x = {x}, y = {y} : ni Lambert-93 (mètres) ni degrés WGS84.")
            return None
        errors.add(line, self.geo_point or self.lon or self.x, "position absente.")
        return None

    def _wgs84(self, lon, lat, line, column, errors):
        if lon is None or lat is None:
            return None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            errors.add(line, column, f"longitude {lon}, latitude {lat} : hors des bornes des degrés WGS84.")
            return None
        return shapely.Point(self.to_storage[4326].transform(lon, lat))


def _number(raw, line, column, errors):
    if not raw.strip():
        errors.add(line, column, "valeur absente.")
        return None
    raw = raw.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        errors.add(line, column, f"nombre invalide « {raw} ».")
        return None


def _read_csv(path, identifiant):
    errors = ErrorList()
    with open_text(path, CSV_SUFFIXES) as stream:
        table = read_table(stream)
        header = table.header
        inventory = Inventory(stream.name_in_archive or Path(path).name, errors)
        inventory.columns = _pick_columns(header, identifiant)
        positions = _Positions(header)
        with contextlib.suppress(TooManyErrors):
            for line, record in table.records():
                inventory.rows[line] = record
                point = positions.point(record, line, errors)
                if point is not None:
                    inventory.points[line] = point
    return inventory
