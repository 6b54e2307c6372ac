"""DVF rows → one row per mutation, without counting anything twice.

DVF repeats what belongs to the mutation on each of its rows: the price on every row (once per
disposition), the land of a parcel on each local's row, and a local on each culture of its parcel
(a house on « sols » and « jardins » gives two identical house rows). Pure function, pandas in,
pandas out, every step vectorised: a département file has a million rows.
"""

import numpy as np
import pandas as pd

from foncier.models import TypeMutation

from .columns import ACTIVITE, APPARTEMENT, CULTURE_TERRAIN_A_BATIR, DEPENDANCE, MAISON, VENTE_TERRAIN_A_BATIR

FIRST_ROW = ["date_mutation", "nature_mutation", "code_commune", "commune_id", "arrondissement_id"]
CODED = ["numero_disposition", "id_parcelle", "numero_volume", "lot1_numero", "code_nature_culture"]
KINDS = {APPARTEMENT: "appartements", MAISON: "maisons", DEPENDANCE: "dependances", ACTIVITE: "activite"}


def aggregate(rows):
    """``rows``: the typed columns of ``read.read_file`` (one per file row) → one row per id_mutation."""
    m, ids = pd.factorize(rows["id_mutation"])
    count = len(ids)
    codes = {name: pd.factorize(rows[name])[0] for name in CODED}
    first = _first_index(m, count)
    out = pd.DataFrame({"id_mutation": np.asarray(ids, dtype=object)})
    for name in FIRST_ROW:
        out[name] = rows[name].to_numpy()[first]
    out["lignes"] = np.bincount(m, minlength=count)
    out["valeur_fonciere"] = _price(
        m, codes["numero_disposition"], rows["valeur_fonciere"].to_numpy(float), count
    )
    _locals(out, rows, m, codes, count)
    _land(out, rows, m, codes, count)
    out["type_mutation"] = _type(out)
    out["parcelles"] = _parcels(rows["id_parcelle"], m, codes["id_parcelle"], count)
    _point(out, rows, m, count)
    return out


def _first_index(m, count):
    """Index of the first row of each mutation (-1 when it has none)."""
    first = np.full(count, -1, dtype=np.int64)
    order = np.arange(len(m) - 1, -1, -1)
    first[m[order]] = order  # later writes win: the last written is the first row
    return first


def _point(out, rows, m, count):
    """Coordinates of the first row that has some (DVF geocodes each parcel; some are not)."""
    lon, lat = rows["longitude"].to_numpy(float), rows["latitude"].to_numpy(float)
    located = ~np.isnan(lon) & ~np.isnan(lat)
    where = _first_index(m[located], count)
    has = where >= 0
    for name, values in (("longitude", lon[located]), ("latitude", lat[located])):
        column = np.full(count, np.nan)
        column[has] = values[where[has]]
        out[name] = column


def _price(m, disposition, valeur, count):
    """The price is repeated on each row of a disposition: counted once per disposition."""
    once = ~pd.DataFrame({"m": m, "d": disposition}).duplicated().to_numpy()
    keep = once & ~np.isnan(valeur)
    total = np.bincount(m[keep], weights=valeur[keep], minlength=count)
    return np.where(np.bincount(m[keep], minlength=count) > 0, total, np.nan)


def _locals(out, rows, m, codes, count):
    """Locals per kind; a local's row repeated for each culture of its parcel counts once.

    Two rows describing the same local (same parcel, volume, first lot, type, surface, rooms) on
    different cultures are one local; on the same culture they are two (two identical garages).
    """
    kind = rows["local"].to_numpy()
    is_local = kind > 0
    keys = pd.DataFrame(
        {
            "m": m,
            "disposition": codes["numero_disposition"],
            "parcelle": codes["id_parcelle"],
            "volume": codes["numero_volume"],
            "lot": codes["lot1_numero"],
            "kind": kind,
            "surface": rows["surface_reelle_bati"].fillna(-1).to_numpy(float),
            "pieces": rows["nombre_pieces_principales"].fillna(-1).to_numpy(float),
            "culture": codes["code_nature_culture"],
        }
    )[is_local]
    local_key = [c for c in keys.columns if c != "culture"]
    per_culture = keys.groupby([*local_key, "culture"], sort=False).size()
    locals_ = per_culture.groupby(level=local_key, sort=False).max().reset_index(name="n")
    lm, lkind, n = locals_["m"].to_numpy(), locals_["kind"].to_numpy(), locals_["n"].to_numpy()
    surface = np.clip(locals_["surface"].to_numpy(), 0, None) * n
    for code, name in KINDS.items():
        mine = lkind == code
        out[f"nb_{name}"] = np.bincount(lm[mine], weights=n[mine], minlength=count).astype(np.int64)
        if code != DEPENDANCE:
            out[f"surface_{name}"] = np.rint(np.bincount(lm[mine], weights=surface[mine], minlength=count))
    housing = np.isin(lkind, [APPARTEMENT, MAISON])
    pieces = np.clip(locals_["pieces"].to_numpy(), 0, None) * n
    out["pieces_principales"] = np.rint(np.bincount(lm[housing], weights=pieces[housing], minlength=count))


def _land(out, rows, m, codes, count):
    """Land of a parcel is repeated on each of its locals' rows: counted once per (parcel, culture)."""
    terrain = rows["surface_terrain"].to_numpy(float)
    has = ~np.isnan(terrain) & (terrain > 0)
    parcels = pd.DataFrame({"m": m, "p": codes["id_parcelle"], "c": codes["code_nature_culture"]})
    once = has & ~parcels.duplicated().to_numpy()
    out["surface_terrain"] = np.rint(np.bincount(m[once], weights=terrain[once], minlength=count))
    to_build = once & (rows["code_nature_culture"].to_numpy() == CULTURE_TERRAIN_A_BATIR)
    out["surface_terrain_a_batir"] = np.rint(
        np.bincount(m[to_build], weights=terrain[to_build], minlength=count)
    )


def _type(out):
    appartements, maisons = out["nb_appartements"].to_numpy(), out["nb_maisons"].to_numpy()
    activite, dependances = out["nb_activite"].to_numpy(), out["nb_dependances"].to_numpy()
    kinds_present = (appartements > 0).astype(int) + (maisons > 0) + (activite > 0)
    building_land = (out["nature_mutation"].to_numpy() == VENTE_TERRAIN_A_BATIR) | (
        out["surface_terrain_a_batir"].to_numpy() > 0
    )
    conditions = [
        kinds_present > 1,
        appartements == 1,
        appartements > 1,
        maisons == 1,
        maisons > 1,
        activite > 0,
        dependances > 0,
        building_land,
        out["surface_terrain"].to_numpy() > 0,
    ]
    choices = [TypeMutation.MIXTE, TypeMutation.APPARTEMENT, TypeMutation.APPARTEMENTS, TypeMutation.MAISON,
               TypeMutation.MAISONS, TypeMutation.ACTIVITE, TypeMutation.DEPENDANCES,
               TypeMutation.TERRAIN_A_BATIR, TypeMutation.TERRAIN]  # fmt: skip
    return np.select(conditions, [c.value for c in choices], default=TypeMutation.AUTRE.value)


def _parcels(id_parcelle, m, parcel_codes, count):
    """The mutation's distinct parcels, comma-separated in the order of the file."""
    parcels = np.asarray(id_parcelle, dtype=object)
    keep = ~pd.DataFrame({"m": m, "p": parcel_codes}).duplicated().to_numpy() & (parcels != "")
    pm, values = m[keep], parcels[keep]
    order = np.argsort(pm, kind="stable")
    pm, values = pm[order], values[order] + ","
    result = np.full(count, "", dtype=object)
    if len(pm):
        starts = np.flatnonzero(np.r_[True, pm[1:] != pm[:-1]])
        result[pm[starts]] = [text[:-1] for text in np.add.reduceat(values, starts)]
    return result
