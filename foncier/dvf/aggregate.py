"""DVF rows → one row per mutation, without counting anything twice.

DVF repeats what belongs to the mutation on each of its rows: the price on every row (once per
disposition), each subdivision (suf) of a parcel on each local's row, and each local on each suf
of its parcel. The rules and their sources: docs/dvf-regles-de-comptage.md. Pure function, arrow
table in, arrow table out. Every text column is turned into integer codes once (pyarrow dictionaries), then
all the work is numpy on those codes: no Python object per row, a département file has a million.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from foncier.models import TypeMutation

from .columns import ACTIVITE, APPARTEMENT, CULTURE_TERRAIN_A_BATIR, DEPENDANCE, MAISON, VENTE_TERRAIN_A_BATIR

FIRST_ROW = ["date_mutation", "nature_mutation", "code_commune", "commune_id", "arrondissement_id"]
CODED = ["numero_disposition", "id_parcelle", "numero_volume", "lot1_numero", "code_nature_culture"]
KINDS = {APPARTEMENT: "appartements", MAISON: "maisons", DEPENDANCE: "dependances", ACTIVITE: "activite"}
TYPES = [TypeMutation.MIXTE, TypeMutation.APPARTEMENT, TypeMutation.APPARTEMENTS, TypeMutation.MAISON,
         TypeMutation.MAISONS, TypeMutation.ACTIVITE, TypeMutation.DEPENDANCES, TypeMutation.TERRAIN_A_BATIR,
         TypeMutation.TERRAIN, TypeMutation.AUTRE]  # fmt: skip


def aggregate(rows):
    """``rows``: the typed table of ``read.read_file`` (one per file row) → one row per id_mutation.

    The mutations come out sorted by id_mutation (byte order): the unique index on it is then
    rebuilt from presorted data, three times faster.
    """
    encoded = _combined(pc.dictionary_encode(rows["id_mutation"]))
    ids, m = encoded.dictionary, encoded.indices.to_numpy().astype(np.int64)
    count = len(ids)
    codes = {name: _codes(rows[name]) for name in CODED}
    first = _first_index(m, count)
    out = {"id_mutation": ids}
    for name in FIRST_ROW:
        out[name] = _combined(rows[name]).take(first)  # take from chunks is 4 times slower
    out["lignes"] = np.bincount(m, minlength=count).astype(np.int32)
    out["valeur_fonciere"] = _price(m, codes["numero_disposition"], _floats(rows["valeur_fonciere"]), count)
    local, locals_, suf, sufs = _cells(rows, m, codes)
    out.update(_locals(rows, m, local, locals_, count))
    out.update(_land(rows, m, suf, sufs, count))
    out["type_mutation"] = _type(out, out["nature_mutation"])
    out["parcelles"] = _parcels(rows["id_parcelle"], m, codes["id_parcelle"], count)
    out.update(_point(rows, m, count))
    table = pa.table(out)
    return table.take(pc.sort_indices(ids))


def _codes(column):
    """Integer code of each value (the empty value and null included), as numpy int64."""
    encoded = _combined(pc.dictionary_encode(column, null_encoding="encode"))
    return encoded.indices.to_numpy().astype(np.int64)


def _combined(array):
    """One array from a chunked one (the chunks of a dictionary_encode share one dictionary)."""
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def _floats(column):
    return pc.fill_null(column, np.nan).to_numpy()


def _group(*codes):
    """(code of each row's combination of the code arrays, True on its first row in the file).

    The codes are packed into one int64 and sorted: rows of a mutation follow each other in a
    DVF file, so the sort meets runs already in order and costs little. Group codes follow the
    order of the packed values, the first array most significant.
    """
    # Re-packing sooner than needed is always correct (only later overflows), so the mutants that
    # re-pack earlier, or count widths from 1, are equivalent: these lines are left out of make mutation.
    key = np.zeros(len(codes[0]), dtype=np.int64)  # pragma: no mutate
    used = 0  # pragma: no mutate
    for code in codes:
        width = int(code.max()).bit_length() if len(code) else 0  # pragma: no mutate
        if used + width > 62:  # pragma: no mutate
            key = _dense(key)[0]
            used = int(key.max()).bit_length() if len(key) else 0  # pragma: no mutate
        key = (key << width) | code
        used += width
    return _dense(key)


def _dense(key):
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.r_[True, ordered[1:] != ordered[:-1]] if len(key) else np.zeros(0, dtype=bool)
    dense = np.empty(len(key), dtype=np.int64)
    dense[order] = np.cumsum(starts) - 1
    first = np.zeros(len(key), dtype=bool)
    first[order[starts]] = True  # a stable sort keeps the file's order among equal keys
    return dense, first


def _first_index(m, count):
    """Index of the first row of each mutation (-1 when it has none)."""
    first = np.full(count, -1, dtype=np.int64)  # any negative value means "none"  # pragma: no mutate
    order = np.arange(len(m) - 1, -1, -1)
    first[m[order]] = order  # later writes win: the last written is the first row
    return first


def _point(rows, m, count):
    """Coordinates of the first row that has some (DVF geocodes each parcel; some are not)."""
    lon, lat = _floats(rows["longitude"]), _floats(rows["latitude"])
    located = ~np.isnan(lon) & ~np.isnan(lat)
    where = _first_index(m[located], count)
    has = where >= 0
    point = {}
    for name, values in (("longitude", lon[located]), ("latitude", lat[located])):
        column = np.full(count, np.nan)
        column[has] = values[where[has]]
        point[name] = pa.array(column, from_pandas=True)  # NaN → null
    return point


def _price(m, disposition, valeur, count):
    """The price is repeated on each row of a disposition: counted once per disposition."""
    keep = _group(m, disposition)[1] & ~np.isnan(valeur)
    total = np.bincount(m[keep], weights=valeur[keep], minlength=count)
    return pa.array(total, mask=np.bincount(m[keep], minlength=count) == 0)


def _cells(rows, m, codes):
    """Each row's local and subdivision (suf), and how many of each the rows stand for.

    DVF crosses, on a parcel, every local sold with every subdivision (suf: a part of the parcel of
    one culture) sold: a house on a parcel of « sols » and « jardins » gives two rows, both with the
    house, each with one suf. A local is what its row says of it (disposition, parcel, volume, first
    lot, type, surface, rooms), a suf its culture and surface on the parcel. Rows repeating a
    (local, suf) pair are identical: they stand for identical locals (two boxes of one garage
    parcel) when every suf of the parcel repeats them, else for identical sufs. Returns
    (local code, local multiplicity per code, suf code, suf multiplicity per code).
    """
    kind = rows["local"].to_numpy()
    local = _group(
        m,
        codes["numero_disposition"],
        codes["id_parcelle"],
        codes["numero_volume"],
        codes["lot1_numero"],
        kind.astype(np.int64),
        _codes(rows["surface_reelle_bati"]),
        _codes(rows["nombre_pieces_principales"]),
    )[0]
    suf = _group(m, codes["id_parcelle"], codes["code_nature_culture"], _codes(rows["surface_terrain"]))[0]
    cell, first = _group(local, suf)
    repeats = np.bincount(cell)
    cell_local, cell_suf = np.empty_like(repeats), np.empty_like(repeats)
    cell_local[cell[first]], cell_suf[cell[first]] = local[first], suf[first]
    # The fewest repeats of a local over the sufs it stands on, then of a suf over the locals.
    locals_ = _smallest(cell_local, repeats, int(local.max()) + 1 if len(local) else 0)
    sufs = _smallest(cell_suf, repeats // locals_[cell_local], int(suf.max()) + 1 if len(suf) else 0)
    return local, locals_, suf, sufs


def _smallest(groups, values, count):
    smallest = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, groups, values)
    return np.maximum(smallest, 1)


def _locals(rows, m, local, multiplicity, count):
    """Locals per kind, each once however many sufs of its parcel repeat it (see ``_cells``)."""
    kind = rows["local"].to_numpy()
    at = _first_index(local, len(multiplicity))
    lkind, lm = kind[at], m[at]
    n = multiplicity.astype(np.float64)
    lsurface = np.clip(np.nan_to_num(_floats(rows["surface_reelle_bati"])[at], nan=0), 0, None) * n
    lpieces = np.clip(np.nan_to_num(_floats(rows["nombre_pieces_principales"])[at], nan=0), 0, None) * n
    out = {}
    for code, name in KINDS.items():
        of_kind = lkind == code
        out[f"nb_{name}"] = np.bincount(lm[of_kind], weights=n[of_kind], minlength=count).astype(np.int32)
        if code != DEPENDANCE:
            surfaces = np.bincount(lm[of_kind], weights=lsurface[of_kind], minlength=count)
            out[f"surface_{name}"] = np.rint(surfaces).astype(np.int64)
    housing = np.isin(lkind, [APPARTEMENT, MAISON])
    rooms = np.bincount(lm[housing], weights=lpieces[housing], minlength=count)
    out["pieces_principales"] = np.rint(rooms).astype(np.int32)
    return out


def _land(rows, m, suf, multiplicity, count):
    """Land: the surface of each suf of each parcel sold, once per suf (see ``_cells``).

    Sufs of one culture on one parcel are distinct (three vineyards of 1 749, 6 905 and 4 518 m²
    are 13 172 m²); the rows repeating a suf for each local of its parcel count once.
    """
    at = _first_index(suf, len(multiplicity))
    terrain = np.nan_to_num(_floats(rows["surface_terrain"])[at], nan=0) * multiplicity
    sm = m[at]
    culture = rows["code_nature_culture"]
    to_build = pc.equal(culture, CULTURE_TERRAIN_A_BATIR).to_numpy(zero_copy_only=False)[at]
    return {
        "surface_terrain": np.rint(np.bincount(sm, weights=terrain, minlength=count)).astype(np.int64),
        "surface_terrain_a_batir": np.rint(
            np.bincount(sm[to_build], weights=terrain[to_build], minlength=count)
        ).astype(np.int64),
    }


def _type(out, nature):
    """The kind of mutation, from what it sold (a mutation of several kinds of local is « mixte »)."""
    appartements, maisons = out["nb_appartements"], out["nb_maisons"]
    activite, dependances = out["nb_activite"], out["nb_dependances"]
    kinds_present = (appartements > 0).astype(int) + (maisons > 0) + (activite > 0)
    building_land = pc.equal(nature, VENTE_TERRAIN_A_BATIR).to_numpy(zero_copy_only=False) | (
        out["surface_terrain_a_batir"] > 0
    )
    conditions = [kinds_present > 1, appartements == 1, appartements >= 2, maisons == 1, maisons >= 2,
                  activite > 0, dependances > 0, building_land, out["surface_terrain"] > 0]  # fmt: skip
    chosen = np.select(conditions, np.arange(len(conditions)), default=len(TYPES) - 1)
    return pa.array([t.value for t in TYPES]).take(chosen)


def _parcels(id_parcelle, m, parcel_codes, count):
    """The mutation's distinct parcels, in the order of the file (a list per mutation)."""
    keep = _group(m, parcel_codes)[1] & pc.not_equal(id_parcelle, "").to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(keep)
    rows = rows[np.argsort(m[rows], kind="stable")]
    offsets = np.r_[0, np.cumsum(np.bincount(m[rows], minlength=count))].astype(np.int32)
    return pa.ListArray.from_arrays(offsets, id_parcelle.take(rows).combine_chunks())
