"""The mutations as PostgreSQL's COPY reads them: binary blocks with the table's own types.

Everything is built by pyarrow and numpy, column by column: the points are projected and written
as EWKB here (PROJ, as PostGIS does) and the parcels as arrays, so that COPY can fill
``foncier_mutation`` directly, without an ``INSERT … SELECT`` computing them row by row.
"""

import functools
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow.compute as pc
from django.conf import settings
from pyproj import Transformer

from foncier.models import Mutation

from . import binary

# The columns of foncier_mutation filled by an import, in the order of the COPY.
COLUMNS = [
    "id_mutation", "date_mutation", "nature_mutation", "valeur_fonciere", "commune_id", "code_commune",
    "arrondissement_id", "type_mutation", "nb_appartements", "nb_maisons", "nb_dependances", "nb_activite",
    "surface_appartements", "surface_maisons", "surface_activite", "pieces_principales", "surface_terrain",
    "surface_terrain_a_batir", "lignes", "parcelles", "geom", "updated_at",
]  # fmt: skip
TEXTS = ["id_mutation", "nature_mutation", "code_commune", "type_mutation"]
INTEGERS = {
    "commune_id": "bigint", "arrondissement_id": "bigint", "nb_appartements": "smallint",
    "nb_maisons": "smallint", "nb_dependances": "smallint", "nb_activite": "smallint",
    "surface_appartements": "integer", "surface_maisons": "integer", "surface_activite": "integer",
    "pieces_principales": "smallint", "surface_terrain": "integer", "surface_terrain_a_batir": "integer",
    "lignes": "integer",
}  # fmt: skip
# EWKB of a point with its SRID: byte order, type (point | SRID flag), SRID, x, y.
EWKB = np.dtype([("order", "u1"), ("type", "<u4"), ("srid", "<u4"), ("x", "<f8"), ("y", "<f8")])
EWKB_POINT = 0x20000001


def copy_blocks(blocks, updated_at, first_id=None, sent=None):
    """COPY … (FORMAT binary) data of ``COLUMNS``, one piece per block of mutations (arrow tables).

    With ``first_id``, an ``id`` column first, numbered from it; ``sent.rows`` counts the mutations.
    The next block is read, aggregated and encoded by a thread while the caller sends this one:
    pyarrow, numpy and the socket release the GIL.
    """
    count = [0]

    def following():
        mutations = next(blocks, None)
        if mutations is None:
            return None
        ids = None if first_id is None else first_id + count[0]
        count[0] += mutations.num_rows
        return binary.rows(fields(mutations, updated_at, ids)) if mutations.num_rows else b""

    yield binary.SIGNATURE
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(following)
        while (data := pending.result()) is not None:
            pending = pool.submit(following)
            yield data
    if sent is not None:
        sent.rows = count[0]
    yield binary.TRAILER


def fields(mutations, updated_at, first_id=None):
    """The encoded fields of the mutations, in the order of ``COLUMNS`` (``id`` first with ``first_id``)."""
    encoded = {name: binary.texts(mutations[name]) for name in TEXTS}
    for name, pg_type in INTEGERS.items():
        column = mutations[name]
        valid = pc.is_valid(column).to_numpy(zero_copy_only=False) if column.null_count else None
        encoded[name] = binary.integers(pc.fill_null(column, 0).to_numpy(), pg_type, name, valid)
    encoded["date_mutation"] = binary.dates(mutations["date_mutation"])
    precision = Mutation._meta.get_field("valeur_fonciere").max_digits
    encoded["valeur_fonciere"] = binary.numerics(
        _floats(mutations["valeur_fonciere"]), "valeur_fonciere", precision
    )
    encoded["parcelles"] = binary.text_arrays(mutations["parcelles"])
    encoded["geom"] = binary.blobs(*ewkb_points(mutations["longitude"], mutations["latitude"]))
    encoded["updated_at"] = binary.timestamp(updated_at, mutations.num_rows)
    out = [encoded[name] for name in COLUMNS]
    if first_id is not None:
        ids = np.arange(first_id, first_id + mutations.num_rows, dtype=np.int64)
        out.insert(0, binary.integers(ids, "bigint", "id"))
    return out


def _floats(column):
    return pc.fill_null(column, np.nan).to_numpy()


@functools.cache
def _transformer(srid):
    return Transformer.from_crs(4326, srid, always_xy=True)


def ewkb_points(longitude, latitude):
    """WGS84 coordinates (null when unknown) → (EWKB points in the storage SRID, known mask)."""
    lon, lat = _floats(longitude), _floats(latitude)
    points = np.empty(len(lon), dtype=EWKB)
    points["order"], points["type"], points["srid"] = 1, EWKB_POINT, settings.STORAGE_SRID
    points["x"], points["y"] = _transformer(settings.STORAGE_SRID).transform(lon, lat)
    return points, ~(np.isnan(lon) | np.isnan(lat))
