"""Filosofi's grid as a GeoPackage, the other format INSEE publishes it in (one layer per area).

Only the attributes are read: the cell's id carries its position. The layer is filtered on the
territory's box in its own projection first, so the national file (over two million cells) is
read in seconds through the GeoPackage's spatial index.
"""

from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry
from django.db import connection

from observatoire.imports import files
from observatoire.imports.base import ImportRejected

from . import carreaux

SUFFIX = ".gpkg"


def geopackages(path):
    """GDAL names of the GeoPackages to read: the file itself, or the archive's (``/vsizip/``)."""
    if str(path).lower().endswith(SUFFIX):
        return [str(path)]
    members = files.zip_members(path) or []
    if any(name.lower().endswith((".csv", ".txt")) for name in members):
        return []
    return [f"/vsizip/{Path(path).resolve()}/{name}" for name in members if name.lower().endswith(SUFFIX)]


def _box_in(srid):
    """The territory's box in the layer's projection, as an OGR polygon (None when it has no EPSG code)."""
    if not srid:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            # Cells are squares: those crossing the box's edge intersect it and are read.
            "SELECT ST_AsText(ST_Extent(ST_Transform(geom, %s))::geometry)"
            " FROM territoires_commune WHERE epci_id IS NOT NULL",
            [srid],
        )
        box = cursor.fetchone()[0]
    return OGRGeometry(box) if box else None


def read(source, reading, progress):
    """Validate every cell of each layer within the territory's box into ``reading``; the others are
    counted outside without being read."""
    name = source.rsplit("/", 1)[-1]
    try:
        datasource = DataSource(source)
    except GDALException as error:
        raise ImportRejected(f"GeoPackage illisible : {name} ({error}). Rien n'a été importé.") from error
    for layer in datasource:
        header = list(layer.fields)
        id_name = header[carreaux.column_of(header, carreaux.ID_COLUMNS, f"{name} : ")]
        ind_name = header[carreaux.column_of(header, carreaux.IND_COLUMNS, f"{name} : ")]
        code_i = carreaux.code_column(header)
        total = layer.num_feat
        box = _box_in(layer.srs.srid if layer.srs else None)
        if box is not None:
            layer.spatial_filter = box
        read_before = reading.summary.read
        for feature in layer:
            code = str(feature.get(header[code_i]) or "") if code_i is not None else ""
            raw_ind = feature.get(ind_name)
            reading.take(
                f"{feature.fid} de {name}",
                str(feature.get(id_name) or "").strip(),
                "" if raw_ind is None else str(raw_ind),
                code.strip(),
                (id_name, ind_name),
            )
            if reading.summary.read % carreaux.PROGRESS_EVERY == 0:
                progress(reading.summary.read, 0)
        left_out = total - (reading.summary.read - read_before)
        reading.summary.read += left_out
        reading.summary.skipped_outside += left_out
