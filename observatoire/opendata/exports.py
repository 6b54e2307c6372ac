"""Streamed exports of a source: CSV by PostgreSQL's COPY, GeoJSON and GeoParquet from a server-side
cursor, in batches, so a million rows never sit in memory at once. Each writer returns its checksum."""

import hashlib
import json
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import connection

from observatoire.core.spreadsheets import neutralised_select

from . import schemas

BATCH = 20_000


class HashingWriter:
    """A binary file that also computes the SHA-256 and the size of what goes through it."""

    def __init__(self, handle):
        self.handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.handle.write(data)
        self.sha256.update(data)
        self.size += len(data)
        return len(data)

    # What pyarrow asks of a file it writes to.
    closed = False

    def tell(self):
        return self.size

    def flush(self):
        self.handle.flush()


def csv_blocks(source):
    """The source's rows as CSV (header first), block by block as PostgreSQL's COPY sends them.

    Text cells that a spreadsheet would run as a formula come out quoted (core.spreadsheets);
    numbers, dates and the coordinates are written as PostgreSQL prints them."""
    with connection.cursor() as cursor:
        raw = cursor.cursor
        select = neutralised_select(raw, source.attributes_sql, source.params or None)
        copy_sql = f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')"
        with raw.copy(copy_sql, source.params) as copy:
            for block in copy:
                yield bytes(block)


def write_csv(source, handle, snapshot=None):
    writer = HashingWriter(handle)
    for block in csv_blocks(source):
        writer.write(block)
    return writer


def _named_cursor(sql, params):
    # A server-side cursor: PostgreSQL sends rows batch by batch instead of all at once.
    raw = connection.connection.cursor(name="opendata_export")
    raw.itersize = BATCH
    raw.execute(sql, params)
    return raw


def write_geojson(source, handle, snapshot=None):
    writer = HashingWriter(handle)
    # PostGIS writes the whole Feature from the row (5× faster than to_jsonb + json_build_object).
    feature_sql = f"SELECT ST_AsGeoJSON(s.*, 'geom', 6) FROM ({source.sql}) s"  # noqa: S608 - declared in code
    writer.write('{"type": "FeatureCollection", "features": [\n')
    connection.ensure_connection()
    cursor = _named_cursor(feature_sql, source.params)
    try:
        first = True
        while rows := cursor.fetchmany(BATCH):  # one write (and hash update) per batch, not per row
            chunk = ",\n".join(feature for (feature,) in rows)
            writer.write(chunk if first else ",\n" + chunk)
            first = False
    finally:
        cursor.close()
    writer.write("\n]}\n")
    return writer


@dataclass(frozen=True)
class Snapshot:
    """What the exporters need to know of the whole snapshot before writing its first row."""

    rows: int
    geometry_types: tuple = ()  # GeoParquet names ("MultiPolygon"…), as PostGIS finds them
    bbox: tuple | None = None  # (xmin, ymin, xmax, ymax) in EPSG:4326


def take_snapshot(source):
    """Rows, geometry types and extent of the source, in one scan (inside the export's transaction)."""
    geometry = (
        ", array_agg(DISTINCT replace(ST_GeometryType(geom), 'ST_', '')), ST_Extent(geom)::box2d::text"
        if source.geometry
        else ""
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*){geometry} FROM ({source.sql}) s", source.params or None)  # noqa: S608
        row = cursor.fetchone()
    if not source.geometry:
        return Snapshot(row[0])
    return Snapshot(row[0], tuple(sorted(t for t in row[1] or () if t)), _box(row[2]))


def _box(text):
    """PostGIS's ``BOX(xmin ymin,xmax ymax)``."""
    if not text:
        return None
    low, high = text[text.index("(") + 1 : text.index(")")].split(",")
    return tuple(float(v) for v in low.split() + high.split())


# Table Schema type → Arrow type: a column has one type in the Parquet whatever its values.
ARROW_TYPES = {
    "boolean": pa.bool_(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "string": pa.string(),
}


def _parquet_columns(source):
    """(SQL select list, Arrow schema): numbers as float8 by PostgreSQL, so Python never sees a Decimal."""
    select, arrow = [], []
    for column in source.columns:
        kind = schemas.field_type(column)
        name = f's."{column.name}"'
        select.append(f'{name}::float8 AS "{column.name}"' if kind == "number" else name)
        arrow.append(pa.field(column.name, ARROW_TYPES[kind]))
    if source.geometry:
        select.append("ST_AsBinary(s.geom) AS geometry")
        arrow.append(pa.field("geometry", pa.binary()))
    return ", ".join(select), pa.schema(arrow)


def write_parquet(source, handle, snapshot=None):
    """GeoParquet 1.1: attributes as typed columns, the geometry as WKB with its ``geo`` metadata."""
    select, schema = _parquet_columns(source)
    if source.geometry:
        geo = _geo_metadata(snapshot or take_snapshot(source))
        schema = schema.with_metadata({b"geo": json.dumps(geo).encode()})
    connection.ensure_connection()
    cursor = _named_cursor(f"SELECT {select} FROM ({source.sql}) s", source.params)  # noqa: S608 - declared
    writer = HashingWriter(handle)
    parquet = pq.ParquetWriter(writer, schema)
    try:
        while rows := cursor.fetchmany(BATCH):
            columns = [_arrow_values([row[i] for row in rows], f.type) for i, f in enumerate(schema)]
            parquet.write_table(pa.Table.from_arrays(columns, schema=schema))
    finally:
        cursor.close()
        parquet.close()
    return writer


def _arrow_values(values, arrow_type):
    if arrow_type == pa.binary():
        values = [bytes(v) if v is not None else None for v in values]
    return pa.array(values, arrow_type)


def _geo_metadata(snapshot):
    column = {"encoding": "WKB", "geometry_types": list(snapshot.geometry_types)}
    if snapshot.bbox:
        column["bbox"] = list(snapshot.bbox)
    # No "crs": GeoParquet's default is OGC:CRS84 (WGS 84, longitude first), what PostGIS writes here.
    return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}


FORMATS = {
    # format: (writer, extension, media type, needs a geometry)
    "csv": (write_csv, "csv", "text/csv", False),
    "geojson": (write_geojson, "geojson", "application/geo+json", True),
    "parquet": (write_parquet, "parquet", "application/vnd.apache.parquet", False),
}
