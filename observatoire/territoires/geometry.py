import math
import threading

from django.conf import settings
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import MultiPolygon


def as_storage_multipolygon(geom):
    """A valid MultiPolygon in the storage SRID, from any polygonal GEOS geometry with an SRID."""
    geom = geom.transform(settings.STORAGE_SRID, clone=True)
    if not geom.valid:
        geom = geom.make_valid()
    if geom.geom_type == "Polygon":
        geom = MultiPolygon(geom, srid=settings.STORAGE_SRID)
    elif geom.geom_type == "GeometryCollection":
        # make_valid() may leave lines or points beside the polygons: keep the polygons.
        geom = MultiPolygon(_polygons_of(geom), srid=settings.STORAGE_SRID)
    return geom


def _polygons_of(collection):
    polygons = []
    for part in collection:
        if part.geom_type == "Polygon":
            polygons.append(part)
        elif part.geom_type == "MultiPolygon":
            polygons.extend(part)
    return polygons


_local = threading.local()


def _transformation(source, target):
    """A cached GDAL CoordTransform: building one costs ~10 ms (PROJ lookup), using it microseconds.

    Kept per thread: GDAL transformation objects are not thread-safe.
    """
    cache = _local.__dict__.setdefault("transforms", {})
    key = (source, target)
    if key not in cache:
        cache[key] = CoordTransform(SpatialReference(source), SpatialReference(target))
    return cache[key]


def to_storage(geom):
    """A copy of a WGS84 geometry in the storage SRID."""
    return geom.transform(_transformation(4326, settings.STORAGE_SRID), clone=True)


def to_wgs84(geom):
    """A copy of a stored geometry in WGS84."""
    return geom.transform(_transformation(geom.srid or settings.STORAGE_SRID, 4326), clone=True)


# Degrees around SPATIAL_EXTENT where spatial queries still make sense. Beyond, no commune and no
# report can be found, and Lambert-93 (the storage SRID) may not even hold the point: PROJ fails
# at the South Pole, which turned a filing at latitude -90 into a 500.
WORK_AREA_MARGIN = 1.0


def in_work_area(lon, lat):
    """Whether a WGS84 point lies in the territory's extent widened by WORK_AREA_MARGIN."""
    west, south, east, north = settings.SPATIAL_EXTENT
    m = WORK_AREA_MARGIN
    return west - m <= lon <= east + m and south - m <= lat <= north + m


def clip_to_work_area(bbox):
    """(west, south, east, north) intersected with the work area, or None if apart."""
    west, south, east, north = settings.SPATIAL_EXTENT
    m = WORK_AREA_MARGIN
    clipped = (
        max(bbox[0], west - m),
        max(bbox[1], south - m),
        min(bbox[2], east + m),
        min(bbox[3], north + m),
    )
    if clipped[0] >= clipped[2] or clipped[1] >= clipped[3]:
        return None
    return clipped


BBOX_ERROR = "Paramètre bbox invalide : attendu ouest,sud,est,nord en degrés (WGS84)."


def parse_bbox(raw):
    """``"west,south,east,north"`` in WGS84 degrees → a 4-tuple of floats, or ValueError(BBOX_ERROR)."""
    try:
        west, south, east, north = (float(part) for part in raw.split(","))
    except ValueError:
        raise ValueError(BBOX_ERROR) from None
    box = (west, south, east, north)
    if not all(math.isfinite(v) for v in box) or not (
        -180 <= west < east <= 180 and -90 <= south < north <= 90
    ):
        raise ValueError(BBOX_ERROR)
    return box
