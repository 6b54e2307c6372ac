"""Streamed exports of a source: CSV by PostgreSQL's COPY, GeoJSON and GeoParquet from a server-side
cursor, in batches, so a million rows never sit in memory at once. Each writer returns its checksum."""

import hashlib
import json

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import connection

from observatoire.core.spreadsheets import neutralised_select

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


def write_csv(source, handle):
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


def write_geojson(source, handle):
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


def write_parquet(source, handle):
    """GeoParquet 1.1: attributes as columns, the geometry as WKB with its metadata."""
    sql = (
        f"SELECT s.*, ST_AsBinary(s.geom) AS geometry FROM ({source.sql}) s"  # noqa: S608 - declared in code
        if source.geometry
        else source.sql
    )
    connection.ensure_connection()
    cursor = _named_cursor(sql, source.params)
    writer = HashingWriter(handle)
    parquet = None
    try:
        while True:
            rows = cursor.fetchmany(BATCH)
            if parquet is None:
                names = [c.name for c in cursor.description]
                keep = [i for i, name in enumerate(names) if name != "geom"]
            if not rows and parquet is not None:
                break
            columns = {names[i]: [_plain(row[i]) for row in rows] for i in keep}
            table = (
                pa.table(columns) if rows else pa.table({names[i]: pa.array([], pa.string()) for i in keep})
            )
            if parquet is None:
                schema = table.schema
                if source.geometry:
                    schema = schema.with_metadata({b"geo": json.dumps(_geo_metadata(source)).encode()})
                parquet = pq.ParquetWriter(writer, schema)
            if rows:
                parquet.write_table(table.cast(parquet.schema))
            if not rows:
                break
    finally:
        cursor.close()
        if parquet is not None:
            parquet.close()
    return writer


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and type(value).__name__ == "Decimal":
        return float(value)
    return value


def _geo_metadata(source):
    kind = {"point": ["Point"], "polygon": ["Polygon", "MultiPolygon"]}[source.geometry]
    return {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": kind}},
    }


FORMATS = {
    # format: (writer, extension, media type, needs a geometry)
    "csv": (write_csv, "csv", "text/csv", False),
    "geojson": (write_geojson, "geojson", "application/geo+json", True),
    "parquet": (write_parquet, "parquet", "application/vnd.apache.parquet", False),
}
