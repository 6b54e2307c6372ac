"""Cells of official files as published: numbers with secrecy markers, INSEE codes, the territory's
codes, Marseille's arrondissements merged into their commune.
"""

import math
import re

from observatoire.territoires.models import Commune
from observatoire.territoires.services import official_codes

# Markers the SDES and INSEE put in a cell under statistical secrecy or when not available.
SECRET = {"s", "nd", "nc", "ns", "-", "so"}
_INSEE = re.compile(r"^(?:(?!00)[0-9]{5}|2[AB][0-9]{3})$")  # no département 00: 01001 is the first
# A code a spreadsheet or a numeric column rewrote: 4112 for 04112, 13001.0 for 13001.
_AS_NUMBER = re.compile(r"^[0-9]{1,5}(?:\.0+)?$")


def number(raw, *, secret=False, signed=False):
    """A non-negative number from a cell (``12``, ``12.5``, ``"12,5"``, ``"1 234"``); None if empty.

    Raises ValueError on anything else. With ``secret``, the secrecy markers read as empty; with
    ``signed``, a negative number is read too (a deficit, a net saving below zero).
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if not text or (secret and text.lower() in SECRET):
            return None
        value = float(text.replace(",", "."))
    if not math.isfinite(value) or (value < 0 and not signed):
        raise ValueError(raw)
    return value


def whole(raw, **kwargs):
    """A count: like ``number`` but the value must be an integer."""
    value = number(raw, **kwargs)
    if value is not None and value != int(value):
        raise ValueError(raw)
    return None if value is None else int(value)


def insee_code(raw):
    """The five-character INSEE code of a commune in a cell (``13001``, ``2A004``); None if it holds none.

    A code that went through a spreadsheet or a numeric column gets its zeros back: ``4112``,
    ``4112.0`` or the number 4112 read ``04112``. Corsica's ``2a004`` is upper-cased; any other
    text (``13x``, ``130011``, ``13001.5``), and a number below 1001 (``0``, ``13``: département 00),
    is no code.
    """
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, float):
        if not raw.is_integer():
            return None
        raw = int(raw)
    text = str(raw).strip()
    if len(text) == 5 and text.isascii() and text.isdigit() and text[:2] != "00":  # the usual case: cheap
        return text
    text = text.upper()
    if _AS_NUMBER.match(text):
        text = text.split(".")[0].zfill(5)
    return text if _INSEE.match(text) else None


def territory_codes():
    """(official code → commune id, the communes' own codes): the other codes are arrondissements."""
    codes = official_codes()
    own = set(Commune.objects.filter(id__in=set(codes.values())).values_list("insee", flat=True))
    return codes, own


class ByCommune:
    """Rows keyed by (commune, millésime…), from a file that lists a commune, its arrondissements or both.

    A row under the commune's own code wins; otherwise its arrondissements' rows are merged by
    ``merge``. Keeping both would count Marseille twice when a file carries 13055 and 13201–13216.
    With ``gather``, the several rows of one key under the commune's own code are merged by ``merge``
    too (a sector's energies, a commune nouvelle's former communes) instead of the last one winning.
    """

    def __init__(self, merge, *, gather=False):
        self.merge, self.gather = merge, gather
        self.direct = {}
        self.parts = {}

    def add(self, key, values, *, arrondissement):
        if arrondissement:
            self.parts.setdefault(key, []).append(values)
        elif self.gather:
            self.direct.setdefault(key, []).append(values)
        else:
            self.direct[key] = values

    def __contains__(self, key):
        return key in self.direct

    def items(self):
        direct = self.direct
        if self.gather:
            direct = {key: self.merge(rows) for key, rows in direct.items()}
        merged = {key: self.merge(parts) for key, parts in self.parts.items() if key not in self.direct}
        return [*direct.items(), *merged.items()]

    @property
    def ignored_parts(self):
        """Arrondissement rows left aside because their commune is in the file too."""
        return sum(len(parts) for key, parts in self.parts.items() if key in self.direct)


def total(values):
    """Sum of the known values; None when none is known."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def weighted_mean(pairs):
    """Mean of (value, weight) pairs over the known values with a positive weight; None if none."""
    known = [(v, w) for v, w in pairs if v is not None and w]
    weight = sum(w for _, w in known)
    return sum(v * w for v, w in known) / weight if weight else None
