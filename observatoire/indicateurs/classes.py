"""Class breaks for choropleth maps (mapclassify)."""

import math
import warnings

import mapclassify
import numpy as np

METHODS = {
    "quantiles": ("Quantiles (effectifs égaux)", mapclassify.Quantiles),
    "jenks": ("Seuils naturels (Jenks)", mapclassify.FisherJenks),
    "intervalles": ("Intervalles égaux", mapclassify.EqualInterval),
}


def class_breaks(values, method="quantiles", k=5):
    """Edges [minimum, upper bound of class 1, …, maximum] of at most ``k`` classes."""
    data = np.array([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if data.size == 0:
        return []
    k = max(1, min(k, len(np.unique(data))))
    if k == 1:
        return [float(data.min()), float(data.max())]
    with warnings.catch_warnings():
        # numba only speeds Jenks up; pure Python is quick for a hundred communes.
        warnings.filterwarnings("ignore", message="Numba not installed")
        bins = METHODS[method][1](data, k=k).bins
    return [float(data.min()), *(float(b) for b in bins)]
