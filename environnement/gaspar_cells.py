"""Cells and headers of the Géorisques GASPAR tables, whatever the vintage.

Header names are compared normalised: without case, accents, BOM or quotes, every run of spaces,
hyphens or other signs read as one ``_`` (« CODE INSEE COMMUNE » → ``code_insee_commune``,
« LIBELLE SOUS-ETAT » → ``libelle_sous_etat``). Known misspellings are mended (« CODE PROECEDURE »
→ ``code_procedure``), and the upper-case PPR tables that write « CODE RISQUE 2 » twice get their
second copy read as ``code_risque_3`` (it sits before « LIBELLE RISQUE 3 »).

Dates are read in the forms the exports have used: ISO ``2019-11-25``, with a time of day
(``2016-05-30 02:00:00``, ``2022-05-24 11:17:06.954``, ``2019-11-25T00:00:00``) whose hour is
ignored, and French ``25/11/2019`` or ``25-11-2019`` (with a time too). INSEE codes written as integers
(``1001`` for 01001, ``13001.0`` from a spreadsheet) are read by ``observatoire.imports.cells.insee_code``.
"""

import datetime
import re
from dataclasses import dataclass

from observatoire.core.textsearch import fold_accents

# Spellings the producer has published, mended to the canonical name (normalised form).
MISSPELLINGS = {
    "code_proecedure": "code_procedure",
}
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
)
_FRENCH = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?$")
DATE_FORMS = "AAAA-MM-JJ ou JJ/MM/AAAA, heure permise"


def normalise_name(name):
    """``CODE PROECEDURE`` → ``code_procedure``; ``Libellé risque 1`` → ``libelle_risque_1``."""
    text = str(name).strip().lstrip("\ufeff").strip().strip('"').strip()
    text = fold_accents(text).lower()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return MISSPELLINGS.get(text, text)


def normalise_header(names):
    """The normalised names of a header; the second « CODE RISQUE 2 » is ``code_risque_3``."""
    result = []
    for name in names:
        normal = normalise_name(name)
        if normal == "code_risque_2" and normal in result:
            normal = "code_risque_3"
        result.append(normal)
    return result


def parse_date(raw):
    """The date of a cell (None when empty); ValueError when it is no date of the forms seen."""
    text = (raw or "").strip()
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _FRENCH.match(text)
        if not match:
            raise ValueError(raw)
        day, month, year = (int(part) for part in match.groups())
    return datetime.date(year, month, day)  # ValueError on 2019-02-30


@dataclass
class Layout:
    """A table's canonical fields, each read from the first of its aliases (normalised names) present."""

    label: str
    fields: dict  # canonical → tuple of aliases
    required: tuple

    def positions(self, header):
        """{canonical: index} for the fields the header has."""
        index = {name: position for position, name in reversed(list(enumerate(header)))}
        found = {}
        for canonical, aliases in self.fields.items():
            for alias in aliases:
                if alias in index:
                    found[canonical] = index[alias]
                    break
        return found

    def missing(self, positions):
        return [self.fields[name][0] for name in self.required if name not in positions]


class Row:
    """One line of a table: its values by canonical field, and the published column names for errors."""

    __slots__ = ("fields", "line", "positions", "raw_names")

    def __init__(self, line, fields, positions, raw_names):
        self.line, self.fields, self.positions, self.raw_names = line, fields, positions, raw_names

    def get(self, name):
        position = self.positions.get(name)
        return "" if position is None else (self.fields[position] or "").strip()

    def column(self, name):
        """The column's name as the file writes it."""
        position = self.positions.get(name)
        return name if position is None else self.raw_names[position]

    def date(self, name, errors, where=""):
        raw = self.get(name)
        try:
            return parse_date(raw)
        except ValueError:
            errors.add(f"{self.line}{where}", self.column(name), f"date invalide « {raw} » ({DATE_FORMS}).")
            return None
