"""Streamed exports of a source: CSV and GeoJSON by PostgreSQL's COPY, GeoParquet from PostgreSQL's CSV
typed by Arrow, block by block, so a million rows never sit in memory at once. Each writer returns its
checksum."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from django.db import connection

from observatoire.core.spreadsheets import neutralised_select

from . import schemas


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


def write_geojson(source, handle, snapshot=None):
    writer = HashingWriter(handle)
    # PostGIS writes the whole Feature from the row (5× faster than to_jsonb + json_build_object), and
    # COPY streams them without a Python object per row. CSV format with a quote and a delimiter no JSON
    # text holds (ST_AsGeoJSON escapes control characters as \u0001): each line is one Feature, as is
    # (the text format would double every backslash of the JSON).
    feature_sql = f"SELECT ST_AsGeoJSON(s.*, 'geom', 6) FROM ({source.sql}) s"  # noqa: S608 - declared in code
    writer.write(b'{"type": "FeatureCollection", "features": [\n')
    held = b""  # the separator written after each Feature: the last one is not followed by another
    with connection.cursor() as cursor:
        options = "FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02', ENCODING 'UTF8'"
        copy_sql = f"COPY ({feature_sql}) TO STDOUT WITH ({options})"
        with cursor.cursor.copy(copy_sql, source.params) as copy:
            for block in copy:
                data = held + bytes(block).replace(b"\n", b",\n")
                writer.write(data[:-2])
                held = data[-2:]
    if held not in (b"", b",\n"):
        writer.write(held)
    writer.write(b"\n]}\n")
    return writer


@dataclass(frozen=True)
class Snapshot:
    """What the exporters need to know of the whole snapshot: its rows, and (GeoParquet ``geo``
    metadata) a function giving its geometry types and extent, called when the Parquet starts."""

    rows: int
    geometry: Callable[[], tuple] = lambda: ((), None)


def take_snapshot(source):
    """The rows of the source and its geometry summary (inside the export's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({source.sql}) s", source.params or None)  # noqa: S608
        (rows,) = cursor.fetchone()
    return Snapshot(rows, partial(geometry_summary, source))


def geometry_summary(source):
    """(GeoParquet geometry types such as "MultiPolygon", bbox (xmin, ymin, xmax, ymax) in EPSG:4326)."""
    if not source.geometry:
        return (), None
    sql = f"""
        SELECT (SELECT array_agg(t ORDER BY t) FROM (
                    SELECT DISTINCT replace(ST_GeometryType(geom), 'ST_', '') AS t FROM ({source.sql}) s
                    WHERE geom IS NOT NULL) d),
               (SELECT ST_Extent(geom)::box2d::text FROM ({source.sql}) s)
    """  # noqa: S608 - declared in code; DISTINCT by hashing, not a sort of every row
    with connection.cursor() as cursor:
        cursor.execute(sql, (source.params + source.params) or None)
        types, box = cursor.fetchone()
    return tuple(types or ()), _box(box)


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


# How PostgreSQL prints a column in the CSV that Arrow parses for the Parquet (numbers as float8,
# timestamps in UTC with their zone, the geometry as hexadecimal WKB).
PARQUET_CSV = {
    "number": "{}::float8",
    "datetime": """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
}


def _parquet_columns(source):
    """(SQL select list, Arrow schema of the CSV it gives, Arrow schema of the Parquet)."""
    select, csv_fields, fields = [], [], []
    for column in source.columns:
        kind = schemas.field_type(column)
        select.append(PARQUET_CSV.get(kind, "{}").format(f's."{column.name}"') + f' AS "{column.name}"')
        csv_fields.append(pa.field(column.name, ARROW_TYPES[kind]))
        fields.append(pa.field(column.name, ARROW_TYPES[kind]))
    if source.geometry:
        select.append("encode(ST_AsBinary(s.geom), 'hex') AS geometry")
        csv_fields.append(pa.field("geometry", pa.string()))
        fields.append(pa.field("geometry", pa.binary()))
    return ", ".join(select), pa.schema(csv_fields), pa.schema(fields)


def write_parquet(source, handle, snapshot=None):
    """GeoParquet 1.1: attributes as typed columns, the geometry as WKB with its ``geo`` metadata.

    The rows come as PostgreSQL's COPY writes them in CSV and Arrow's CSV reader (C++, several
    threads) types them: no Python object per value, which is what made this export slow."""
    select, csv_schema, schema = _parquet_columns(source)
    if source.geometry:
        geo = _geo_metadata(*(snapshot.geometry() if snapshot else geometry_summary(source)))
        schema = schema.with_metadata({b"geo": json.dumps(geo).encode()})
    writer = HashingWriter(handle)
    parquet = pq.ParquetWriter(writer, schema)
    copy_sql = f"COPY (SELECT {select} FROM ({source.sql}) s) TO STDOUT WITH (FORMAT csv)"  # noqa: S608
    try:
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, source.params or None) as copy:
            stream = _BlockStream(copy)
            if not stream.peek():
                return writer  # no rows: the Parquet holds the schema only
            reader = pa_csv.open_csv(
                stream,
                read_options=pa_csv.ReadOptions(column_names=csv_schema.names, block_size=1 << 22),
                parse_options=pa_csv.ParseOptions(newlines_in_values=True),
                convert_options=pa_csv.ConvertOptions(
                    column_types=csv_schema,
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=False,  # "" is an empty text, an unquoted empty cell a null
                    true_values=["t"],
                    false_values=["f"],
                ),
            )
            for batch in reader:
                columns = batch.columns
                if source.geometry:
                    columns = [*columns[:-1], _unhex(columns[-1])]
                parquet.write_batch(pa.RecordBatch.from_arrays(columns, schema=schema))
    finally:
        parquet.close()
    return writer


class _BlockStream:
    """The blocks of a COPY as the file Arrow's CSV reader reads."""

    closed = False

    def __init__(self, blocks):
        self._blocks = iter(blocks)
        self._buffer = bytearray()

    def peek(self):
        """Whether there is anything to read (Arrow refuses an empty CSV)."""
        if not self._buffer:
            self._buffer += next(self._blocks, b"")
        return bool(self._buffer)

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            block = next(self._blocks, None)
            if block is None:
                break
            self._buffer += block
        size = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


_HEX = np.zeros(256, dtype=np.uint8)
_HEX[np.frombuffer(b"0123456789", dtype=np.uint8)] = np.arange(10)
_HEX[np.frombuffer(b"abcdef", dtype=np.uint8)] = np.arange(10, 16)


def _unhex(strings):
    """Hexadecimal WKB (Arrow strings) → WKB (Arrow binary), decoded by numpy in one go."""
    if strings.offset or strings.null_count:  # not what the CSV reader gives; decode value by value
        return pa.array(
            [bytes.fromhex(v) if v is not None else None for v in strings.to_pylist()], pa.binary()
        )
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[: len(strings) + 1]
    text = np.frombuffer(strings.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    nibbles = _HEX[text]
    data = (nibbles[0::2] << 4) | nibbles[1::2]
    return pa.Array.from_buffers(
        pa.binary(), len(strings), [None, pa.py_buffer((offsets - offsets[0]) // 2), pa.py_buffer(data)]
    )


def _geo_metadata(geometry_types, bbox):
    column = {"encoding": "WKB", "geometry_types": list(geometry_types)}
    if bbox:
        column["bbox"] = list(bbox)
    # No "crs": GeoParquet's default is OGC:CRS84 (WGS 84, longitude first), what PostGIS writes here.
    return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}


FORMATS = {
    # format: (writer, extension, media type, needs a geometry)
    "csv": (write_csv, "csv", "text/csv", False),
    "geojson": (write_geojson, "geojson", "application/geo+json", True),
    "parquet": (write_parquet, "parquet", "application/vnd.apache.parquet", False),
}
