"""Vector layers as their producers publish them, read with pyogrio: GeoJSON, GeoPackage, Shapefile,
plain or zipped, whatever the folders inside the zip.

- A zip is searched member by member, sub-folders included: the Géoportail de l'Urbanisme packs a
  document as ``30014_PLU_20171013/Donnees_geographiques/30014_ZONE_URBA_20171013.shp`` beside the
  other layers of the CNIG standard (DOC_URBA, PRESCRIPTION_SURF, INFO_SURF, HABILLAGE…).
- A layer is found by its name without case and with the producer's prefix and suffix: the
  preferred name ``zone_urba`` finds ``30014_ZONE_URBA_20171013`` and ``ZONE_URBA``.
- Z and M coordinates are dropped on read (PLUs digitised in 3D are published as PolygonZ): the
  storage columns are 2D.
- Every GDAL failure becomes a French message (its English text goes to the log only, it names the
  server's temporary file); a table without geometry (a CSV, a spreadsheet) is recognised and the
  person is told which import takes it.

Every geometry ends up valid, a MultiPolygon, in the storage SRID; every error names the feature
(numbered from 1 in file order) and the field.
"""

import logging
import math
import re
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from glob import escape as glob_escape
from pathlib import Path, PurePosixPath

import pyogrio
import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from pyogrio.errors import DataLayerError, DataSourceError

from observatoire.imports.base import ErrorList, ImportRejected, TooManyErrors
from observatoire.imports.recognise import wrong_format

GEOMETRY = "géométrie"
# What GDAL reads as layers among the members of an archive; the sidecar files (.dbf, .prj, .cpg…)
# come with their .shp.
VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".fgb", ".kml", ".gml", ".tab", ".mif")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".ods", ".dbf")
EXPECTED = "GeoJSON, GeoPackage ou Shapefile (zippé ou non) attendu"
logger = logging.getLogger(__name__)


class FeatureErrors(ErrorList):
    """Errors of a vector file: « entité N, champ C : raison »."""

    def add(self, line, column, reason):
        self.append(f"entité {line}, champ {column} : {reason}" if column else f"entité {line} : {reason}")
        if len(self) >= self.limit:
            raise TooManyErrors


@dataclass(frozen=True)
class Layer:
    source: str  # what GDAL opens: the path, or /vsizip/<archive>/<member>
    name: str  # the layer's name in that source
    label: str  # how a person finds it: the layer's name, or the member's path in the archive
    spatial: bool = True  # False for a table (a GeoPackage's QGIS styles, a DOC_URBA .dbf)


def _unreadable(path, error, what="Fichier illisible ou format non reconnu"):
    logger.info("Couche vectorielle illisible %s : %s", path, error)
    return ImportRejected(f"{what} : {EXPECTED} ; rien n'a été importé.")


def _gdal_layers(source, label_prefix=""):
    with _measures_dropped():
        rows = pyogrio.list_layers(source)
    if label_prefix and len(rows) == 1:
        return [Layer(source, rows[0][0], label_prefix, rows[0][1] is not None)]
    return [
        Layer(source, name, f"{label_prefix} : {name}" if label_prefix else name, geometry is not None)
        for name, geometry in rows
    ]


def _zip_layers(path):
    """Every layer of every vector member of the archive, sub-folders included."""
    with zipfile.ZipFile(path) as archive:
        members = [
            name
            for name in archive.namelist()
            if not name.endswith("/")
            and "__MACOSX" not in name
            and not PurePosixPath(name).name.startswith(".")
        ]
    root = f"/vsizip/{Path(path).resolve()}"
    layers = []
    for member in sorted(members):
        suffix = PurePosixPath(member).suffix.lower()
        if suffix in VECTOR_SUFFIXES or (suffix in TABLE_SUFFIXES and suffix != ".dbf"):
            layers.extend(_gdal_layers(f"{root}/{member}", member))
    if not layers:
        shown = ", ".join(members[:10]) + (" …" if len(members) > 10 else "")
        raise ImportRejected(
            f"L'archive ne contient aucune couche géographique ({shown or 'archive vide'}) : {EXPECTED} ; "
            "rien n'a été importé."
        )
    return layers


def list_layers(path):
    """The layers of the file (or of the archive's members); ImportRejected when GDAL cannot read it."""
    path = str(path)
    if not Path(path).exists():
        raise ImportRejected(f"Fichier illisible : {Path(path).name} est introuvable ; rien n'a été importé.")
    try:
        if zipfile.is_zipfile(path):
            return _zip_layers(path)
        with open(path, "rb") as handle:
            gzipped = handle.read(2) == b"\x1f\x8b"
        source = f"/vsigzip/{Path(path).resolve()}" if gzipped else path
        layers = _gdal_layers(source)
        suffix = Path(path.removesuffix(".gz")).suffix.lower()
        if suffix in TABLE_SUFFIXES:  # named as the person knows it: « dvf.csv », not « dvf »
            return [Layer(layer.source, layer.name, layer.name + suffix, layer.spatial) for layer in layers]
        return layers
    except ImportRejected:
        raise
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        zipfile.BadZipFile,
        OSError,
    ) as error:
        raise _unreadable(path, error) from error


def _named(layer_name, wanted):
    """``zone_urba`` names ``ZONE_URBA``, ``30014_ZONE_URBA_20171013``, ``zone_urba_2019``: the name
    without case, between the producer's prefix and suffix."""
    pattern = rf"(^|[^a-z0-9]){re.escape(wanted.lower())}([^a-z0-9]|$)"
    return re.search(pattern, Path(layer_name).stem.lower()) is not None


def choose_layer(layers, wanted=None, preferred=None):
    """The layer asked for (``--layer``), else the only one, or the only one with a geometry, else
    the one named like ``preferred``."""
    names = ", ".join(layer.label for layer in layers)
    if wanted:
        for test in (
            lambda layer: layer.name == wanted,
            lambda layer: wanted.lower() in (layer.name.lower(), layer.label.lower()),
            lambda layer: _named(layer.name, wanted),
        ):
            found = [layer for layer in layers if test(layer)]
            if len(found) == 1:
                return found[0]
        raise ImportRejected(f"Couche « {wanted} » absente ; couches du fichier : {names}.")
    if len(layers) == 1:
        return layers[0]
    spatial = [layer for layer in layers if layer.spatial]
    if len(spatial) == 1:
        return spatial[0]
    found = [layer for layer in layers if preferred and _named(layer.name, preferred)]
    if len(found) == 1:
        return found[0]
    if found:
        raise ImportRejected(
            f"Plusieurs couches {preferred.upper()} dans le fichier ({', '.join(f.label for f in found)}) : "
            "précisez laquelle (option --layer). Rien n'a été importé."
        )
    raise ImportRejected(f"Plusieurs couches dans le fichier ({names}) : précisez laquelle (option --layer).")


def _refuse_table(layer, fields, command):
    """A layer without geometry is a table: say what it is and which import takes it."""
    if command:
        refusal = wrong_format(fields, command)
        if refusal is not None:
            raise refusal
    raise ImportRejected(
        f"« {PurePosixPath(layer.label).name} » est un tableau sans géométrie (colonnes : "
        f"{', '.join(fields[:12])}{' …' if len(fields) > 12 else ''}), pas une couche géographique : "
        f"{EXPECTED}. Rien n'a été importé."
    )


def _sidecars(path, layer):
    """The bytes of a Shapefile's .dbf and whether a .cpg names its encoding (plain or zipped)."""
    if not layer.source.lower().endswith(".shp"):
        return None, True
    if layer.source.startswith("/vsizip/"):
        stem = PurePosixPath(layer.label).with_suffix("").as_posix().lower()
        with zipfile.ZipFile(path) as archive:
            members = {name.lower(): name for name in archive.namelist()}
            dbf = members.get(f"{stem}.dbf")
            return (archive.read(dbf) if dbf else None), f"{stem}.cpg" in members
    shp = Path(layer.source)
    siblings = {p.name.lower(): p for p in shp.parent.glob(f"{glob_escape(shp.stem)}.*")}
    dbf = siblings.get(f"{shp.stem.lower()}.dbf")
    return (dbf.read_bytes() if dbf else None), f"{shp.stem.lower()}.cpg" in siblings


def _encoding(path, layer):
    """UTF-8 for a Shapefile whose .dbf is UTF-8 but says nothing (no .cpg, no language byte): GDAL
    would read it as Latin-1 and write « Zone Ã  urbaniser »; None lets GDAL decide otherwise."""
    dbf, declared = _sidecars(path, layer)
    if declared or not dbf or len(dbf) < 32 or dbf[29] != 0:
        return None
    records = dbf[int.from_bytes(dbf[8:10], "little") :]  # after the binary header
    if records.isascii():
        return None
    try:
        records.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "UTF-8"


@contextmanager
def _measures_dropped():
    """pyogrio drops M coordinates with a warning: dropping them (and Z) is what the import wants."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Measured \(M\) geometry types are not supported", UserWarning)
        yield


def read_layer(path, layer=None, preferred=None, command=None):
    """The chosen layer as a 2D GeoDataFrame with its CRS; ImportRejected when unreadable, ambiguous,
    a table, empty or without a coordinate system. ``command`` is the import reading it, to tell a
    person who gave another known file which import takes it."""
    chosen = choose_layer(list_layers(path), layer, preferred)
    try:
        with _measures_dropped():
            info = pyogrio.read_info(chosen.source, layer=chosen.name)
    except (DataSourceError, DataLayerError) as error:
        raise _unreadable(path, error, "Couche illisible") from error
    if info.get("geometry_type") is None:
        _refuse_table(chosen, list(info["fields"]), command)
    try:
        encoding = _encoding(path, chosen)
        with _measures_dropped():
            frame = pyogrio.read_dataframe(chosen.source, layer=chosen.name, force_2d=True, encoding=encoding)
    except Exception as error:  # any GDAL failure, whatever pyogrio's class for it
        raise _unreadable(path, error, "Couche illisible") from error
    if frame.empty:
        raise ImportRejected("La couche ne contient aucun objet : rien n'a été importé.")
    if "geometry" not in frame or frame.crs is None:
        raise ImportRejected(
            "Système de coordonnées absent : le fichier doit le déclarer (fichier .prj d'un Shapefile, "
            "par exemple) ; rien n'a été importé."
        )
    frame.attrs["layer"] = chosen.label
    return frame


def columns_for(frame, wanted, required, command=None):
    """Canonical field name → the file's column, matched without case and by Shapefile truncation.

    A Shapefile keeps ten characters of a field name: ``potentiel_logements`` arrives as
    ``potentiel_``; both spellings are accepted. A layer of another known format (``command`` is the
    import reading it) is refused saying which import takes it.
    """
    actual = {str(name).lower(): name for name in frame.columns if name != "geometry"}
    found = {}
    for name in wanted:
        for candidate in (name.lower(), name.lower()[:10]):
            if candidate in actual:
                found[name] = actual[candidate]
                break
    missing = [name for name in required if name not in found]
    if missing and command and (refusal := wrong_format(list(actual.values()), command)):
        raise refusal
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


def storage_geometries(frame, errors, repaired=None):
    """Feature number → a valid shapely MultiPolygon in the storage SRID; errors for the others.

    An invalid polygon (self-intersecting ring…) is repaired with GEOS's MakeValid, the algorithm of
    PostGIS's ST_MakeValid; ``repaired`` (a list), when given, receives the numbers of those features."""
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
            if repaired is not None:
                repaired.append(number)
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
