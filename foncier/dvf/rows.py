"""The mutations as PostgreSQL's COPY reads them: CSV blocks with the table's own types.

Everything is built by pyarrow and numpy, column by column: the points are projected and written
as EWKB here (PROJ, as PostGIS does) and the parcels as array literals, so that COPY can fill
``foncier_mutation`` directly, without an ``INSERT … SELECT`` computing them row by row.
"""

import binascii
import functools
import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.conf import settings
from pyproj import Transformer

# The columns of foncier_mutation filled by an import, in the order of the CSV.
COLUMNS = [
    "id_mutation", "date_mutation", "nature_mutation", "valeur_fonciere", "commune_id", "code_commune",
    "arrondissement_id", "type_mutation", "nb_appartements", "nb_maisons", "nb_dependances", "nb_activite",
    "surface_appartements", "surface_maisons", "surface_activite", "pieces_principales", "surface_terrain",
    "surface_terrain_a_batir", "lignes", "parcelles", "geom", "updated_at",
]  # fmt: skip
BLOCK_ROWS = 100_000
# EWKB of a point with its SRID: byte order, type (point | SRID flag), SRID, x, y.
EWKB = np.dtype([("order", "u1"), ("type", "<u4"), ("srid", "<u4"), ("x", "<f8"), ("y", "<f8")])
EWKB_POINT = 0x20000001


def csv_blocks(mutations, updated_at, first_id=None):
    """The CSV of ``COLUMNS`` (no header), in blocks of ``BLOCK_ROWS`` mutations.

    With ``first_id``, an ``id`` column first, numbered from it. Blocks are written by a thread
    while the caller sends the previous one: pyarrow and the socket both release the GIL.
    """
    table = to_columns(mutations, updated_at, first_id)
    options = pacsv.WriteOptions(include_header=False)

    def block(start):
        sink = io.BytesIO()
        pacsv.write_csv(table.slice(start, BLOCK_ROWS), sink, options)
        return sink.getbuffer()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = None
        for start in range(0, table.num_rows, BLOCK_ROWS):
            following = pool.submit(block, start)
            if pending is not None:
                yield pending.result()
            pending = following
        if pending is not None:
            yield pending.result()


def to_columns(mutations, updated_at, first_id=None):
    plain = {name: mutations[name] for name in COLUMNS if name in mutations.column_names}
    plain["parcelles"] = array_literals(mutations["parcelles"])
    plain["geom"] = ewkb_hex(mutations["longitude"], mutations["latitude"])
    plain["updated_at"] = pc.fill_null(pa.nulls(mutations.num_rows, pa.string()), updated_at.isoformat())
    table = pa.table({name: plain[name] for name in COLUMNS})
    if first_id is not None:
        table = table.add_column(0, "id", pa.array(np.arange(first_id, first_id + table.num_rows)))
    return table


def array_literals(lists):
    """list<string> → PostgreSQL array literals, every element quoted (a parcel id is opaque text)."""
    lists = lists.combine_chunks() if isinstance(lists, pa.ChunkedArray) else lists
    values = pc.replace_substring(pc.replace_substring(lists.values, "\\", "\\\\"), '"', '\\"')
    joined = pc.binary_join(pa.ListArray.from_arrays(lists.offsets, values), '","')
    quoted = pc.binary_join_element_wise('{"', joined, '"}', "")
    return pc.if_else(pc.equal(pc.list_value_length(lists), 0), "{}", quoted)


@functools.cache
def _transformer(srid):
    return Transformer.from_crs(4326, srid, always_xy=True)


def ewkb_hex(longitude, latitude):
    """WGS84 coordinates (null when unknown) → hex EWKB points in the storage SRID, as geometry_in reads."""
    lon = pc.fill_null(longitude, np.nan).to_numpy()
    lat = pc.fill_null(latitude, np.nan).to_numpy()
    points = np.empty(len(lon), dtype=EWKB)
    points["order"], points["type"], points["srid"] = 1, EWKB_POINT, settings.STORAGE_SRID
    points["x"], points["y"] = _transformer(settings.STORAGE_SRID).transform(lon, lat)
    width = 2 * EWKB.itemsize
    offsets = np.arange(0, width * len(lon) + 1, width, dtype=np.int64)
    text = pa.LargeStringArray.from_buffers(
        len(lon), pa.py_buffer(offsets), pa.py_buffer(binascii.hexlify(points.tobytes()))
    )
    known = pa.array(~(np.isnan(lon) | np.isnan(lat)))
    return pc.if_else(known, text, pa.scalar(None, pa.large_string()))
