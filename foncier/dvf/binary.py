"""PostgreSQL's binary COPY format, built a column at a time with numpy and pyarrow.

In text, the server parses every number, date, array and geometry of a million mutations (about
1.5 s of a département's COPY); in binary it only checks them. Each column becomes one binary
value per row (its length then its bytes, in network byte order; length -1 for NULL) and a row is
its field count followed by its fields, joined by pyarrow in one call. The server still applies
the column types' limits (varchar length, numeric precision, the geometry's SRID, the checks).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from observatoire.imports.base import ImportRejected

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # then flags and header extension, both empty
TRAILER = b"\xff\xff"
NULL = pa.scalar(b"\xff\xff\xff\xff", pa.binary())
VARCHAR_OID = 1043  # array_recv checks the element type against the column's
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)  # PostgreSQL's dates and times count from it
EPOCH_DAYS = 10_957  # 2000-01-01 in days since 1970-01-01 (arrow's date32)
INTEGERS = {"smallint": ">i2", "integer": ">i4", "bigint": ">i8"}


def rows(fields):
    """The binary rows of a block: one bytes-like object, fields given as encoded binary arrays."""
    count = _records(np.full(len(fields[0]), len(fields), dtype=">i2"))
    joined = pc.binary_join_element_wise(count, *fields, b"")
    if joined.null_count:  # a null field would drop its whole row from the stream
        raise ValueError("binary COPY: a field was not encoded (NULL must be sent as length -1)")
    _, offsets, data = joined.buffers()
    offsets = np.frombuffer(offsets, np.int32)[joined.offset : joined.offset + len(joined) + 1]
    return memoryview(data)[offsets[0] : offsets[-1]]


def integers(values, pg_type, column, valid=None):
    """numpy integers; refused as a whole when one does not fit the column (COPY would fail)."""
    dtype = np.dtype(INTEGERS[pg_type])
    limits = np.iinfo(dtype)
    checked = values if valid is None else values[valid]
    if len(checked) and (checked.min() < limits.min or checked.max() > limits.max):
        raise ImportRejected(
            f"Valeur hors limites pour la colonne {column} ({pg_type}) : {checked.max()}.",
            [f"colonne {column} : une mutation dépasse {limits.max}"],
        )
    return _nullable(_sized(values.astype(dtype)), valid)


def dates(column):
    days = pc.cast(_array(column), pa.int32()).to_numpy() - EPOCH_DAYS
    return _sized(days.astype(">i4"))


def timestamp(moment, count):
    """The same timestamptz on every row."""
    micro = (moment - EPOCH) // datetime.timedelta(microseconds=1)
    return _sized(np.full(count, micro, dtype=">i8"))


def texts(column):
    column = pc.cast(_array(column), pa.binary())  # the UTF-8 bytes themselves, no copy
    sizes = pc.fill_null(pc.binary_length(column), 0).to_numpy()
    encoded = pc.binary_join_element_wise(_records(sizes.astype(">i4")), column, b"")
    return _nullable(
        encoded, pc.is_valid(column).to_numpy(zero_copy_only=False) if column.null_count else None
    )


def text_arrays(lists):
    """list<string> → one-dimensional varchar[] (an empty list: the empty array, 0 dimensions)."""
    lists = _array(lists)
    offsets = lists.offsets.to_numpy()
    offsets = (offsets - offsets[0]).astype(np.int32)
    elements = texts(lists.flatten())
    content = pc.binary_join(pa.ListArray.from_arrays(offsets, elements), b"")
    header = np.dtype([("size", ">i4"), ("ndim", ">i4"), ("flags", ">i4"), ("oid", ">i4"),
                       ("dim", ">i4"), ("lower", ">i4")])  # fmt: skip
    heads = np.zeros(len(lists), header)
    heads["size"] = pc.binary_length(content).to_numpy() + header.itemsize - 4
    heads["ndim"], heads["oid"], heads["dim"], heads["lower"] = 1, VARCHAR_OID, np.diff(offsets), 1
    empty = np.zeros(
        len(lists), np.dtype([("size", ">i4"), ("ndim", ">i4"), ("flags", ">i4"), ("oid", ">i4")])
    )
    empty["size"], empty["oid"] = 12, VARCHAR_OID
    prefix = pc.if_else(pa.array(heads["dim"] > 0), _records(heads), _records(empty))
    return pc.binary_join_element_wise(prefix, content, b"")


def numerics(values, column, precision):
    """float64 (NaN: NULL) → numeric(precision, 2), rounded as PostgreSQL rounds the value's text.

    The importer used to send the shortest decimal text of each float and PostgreSQL rounded it
    to cents half away from zero; ``rint(value * 100)`` gives the same cents except next to half
    a cent, where those few values are rounded from their decimal text, as before.
    """
    valid = ~np.isnan(values)
    known = np.where(valid, values, 0)
    if np.any(np.abs(known) >= 10.0 ** (precision - 2)):
        raise ImportRejected(
            f"Valeur hors limites pour la colonne {column} : {np.abs(known).max():.2f}.",
            [f"colonne {column} : une mutation atteint {10 ** (precision - 2)}"],
        )
    scaled = np.abs(known) * 100
    cents = np.rint(scaled).astype(np.int64)
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) <= 200 * np.spacing(known) + 1e-9
    for at in np.flatnonzero(near_half):
        exact = Decimal(repr(abs(float(known[at])))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        cents[at] = int(exact * 100)
    # Fixed layout: 4 base-10000 digits before the point, 1 after (the server drops the zeros).
    number = np.dtype([("size", ">i4"), ("ndigits", ">i2"), ("weight", ">i2"), ("sign", ">u2"),
                       ("dscale", ">i2"), ("digits", ">i2", 5)])  # fmt: skip
    packed = np.zeros(len(values), number)
    packed["size"], packed["ndigits"], packed["weight"], packed["dscale"] = number.itemsize - 4, 5, 3, 2
    packed["sign"] = np.where(known < 0, 0x4000, 0)  # digits are of the absolute value
    whole = cents // 100
    for place, power in enumerate((10**12, 10**8, 10**4, 1)):
        packed["digits"][:, place] = whole // power % 10_000
    packed["digits"][:, 4] = cents % 100 * 100
    return _nullable(_records(packed), valid)


def blobs(packed, valid):
    """Fixed-size binary values (a numpy structured array without its size), NULL where not valid."""
    return _nullable(_sized(packed), valid)


def _sized(values):
    """Fixed-width values → (size, value) records."""
    record = np.dtype([("size", ">i4"), ("value", values.dtype)])
    packed = np.empty(len(values), record)
    packed["size"], packed["value"] = values.dtype.itemsize, values
    return _records(packed)


def _records(packed):
    """Each element of a numpy array as one binary value, without copying it."""
    width = packed.dtype.itemsize
    offsets = np.arange(0, width * len(packed) + 1, width, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.binary(), len(packed), [None, pa.py_buffer(offsets), pa.py_buffer(packed)]
    )


def _nullable(encoded, valid):
    return encoded if valid is None else pc.if_else(pa.array(valid), encoded, NULL)


def _array(column):
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
