from django.conf import settings
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
