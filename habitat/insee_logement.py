"""INSEE census « base-cc-logement » by commune, as published (``;``-separated CSV).

``CODGEO`` then one column per variable and census year: ``P21_LOG``, ``P21_RP``,
``P21_RSECOCC``, ``P21_LOGVAC``… and the older census of the same file (``P15_…``). The
millésime comes from the prefix (P19 → 2019, P20 → 2020, P21 → 2021…); other columns
(``LIBGEO``, ``C21_…``) are ignored. INSEE ships it zipped (``base-cc-logement-2021_csv.zip``:
the data file beside ``meta_base-cc-logement-2021.CSV``, its variable labels), in UTF-8 or
Latin-1 depending on the vintage; the framework opens it. The « arrondissements municipaux »
file has the same columns for 13201–13216 (and Paris's, Lyon's). Marseille may appear as 13055,
as its arrondissements, or both: counted once.
"""

import contextlib
import re

from observatoire.imports.base import (
    ErrorList,
    Importer,
    ImportRejected,
    Summary,
    TooManyErrors,
    no_progress,
    register,
)
from observatoire.imports.cells import ByCommune, insee_code, number, territory_codes, total
from observatoire.imports.files import open_text, read_table
from observatoire.imports.recognise import missing_columns, wrong_format
from observatoire.imports.writing import upsert

from .models import LogementRecensement
from .tasks import schedule_recompute

VARIABLES = {
    "LOG": "logements",
    "RP": "residences_principales",
    "RSECOCC": "residences_secondaires",
    "LOGVAC": "logements_vacants",
    "MAISON": "maisons",
    "APPART": "appartements",
    "RP_PROP": "rp_proprietaires",
    "RP_LOC": "rp_locataires",
    "RP_LOCHLMV": "rp_locataires_hlm",
}
REQUIRED = ("LOG", "RP", "RSECOCC", "LOGVAC")
COLUMN = re.compile(r"^P(\d{2})_(" + "|".join(sorted(VARIABLES, key=len, reverse=True)) + r")$")
PROGRESS_EVERY = 2000


def millesime_columns(header):
    """{millésime: {column: field}} from a header; ImportRejected if a census lacks a required column."""
    found = {}
    for column in header:
        match = COLUMN.match(column)
        if match:
            found.setdefault(2000 + int(match[1]), {})[column] = VARIABLES[match[2]]
    if not found:
        known = wrong_format(header, "import_insee_logement")
        if known is not None:
            raise known
        raise ImportRejected(
            "Aucune colonne de recensement reconnue (P21_LOG, P21_RP…) : ce n'est pas un fichier "
            f"« base-cc-logement ». Colonnes lues : {', '.join(header[:20])}."
        )
    missing = [
        f"P{year % 100:02d}_{name}"
        for year, columns in sorted(found.items())
        for name in REQUIRED
        if f"P{year % 100:02d}_{name}" not in columns
    ]
    if "CODGEO" not in header:
        missing.insert(0, "CODGEO")
    if missing:
        raise missing_columns(header, missing, "import_insee_logement")
    return found


def _merge(parts):
    return {field: total(part[field] for part in parts) for field in parts[0]}


def read(stream, progress):
    table = read_table(stream, header_has=("CODGEO",), normalise=str.upper)
    header = table.header
    columns = millesime_columns(header)
    codes, own = territory_codes()
    rows, errors, summary = ByCommune(_merge), ErrorList(), Summary()
    seen = set()
    with contextlib.suppress(TooManyErrors):  # the errors so far are enough to reject the file
        for line, raw in table.records():
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                progress(summary.read, 0)
            code = insee_code(raw["CODGEO"])
            if code is None:
                errors.add(line, "CODGEO", f"code commune invalide « {raw['CODGEO']} ».")
                continue
            if code not in codes:
                summary.note_outside(code)
                continue
            if code in seen:
                errors.add(line, "CODGEO", f"commune {code} en double dans le fichier.")
                continue
            seen.add(code)
            for millesime, fields in columns.items():
                values = {}
                for column, field in fields.items():
                    try:
                        values[field] = number(raw[column])
                    except ValueError:
                        errors.add(line, column, f"nombre invalide « {raw[column]} ».")
                rows.add((codes[code], millesime), values, arrondissement=code not in own)
    errors.raise_if_any()
    summary.details["millesimes"] = sorted(columns)
    summary.details["arrondissements_ignores"] = rows.ignored_parts
    return rows.items(), summary


def import_file(stream, *, progress=no_progress):
    items, summary = read(stream, progress)
    objects = [
        LogementRecensement(commune_id=commune_id, millesime=millesime, **values)
        for (commune_id, millesime), values in items
    ]
    upsert(
        objects,
        summary,
        keys=["commune", "millesime"],
        update_fields=VARIABLES.values(),
        on_commit=schedule_recompute,
    )
    progress(summary.read, summary.read)
    return summary


@register
class InseeLogementImporter(Importer):
    kind = "insee_logement"
    label = "INSEE : logements au recensement par commune (base-cc-logement)"
    extensions = (".csv", ".txt", ".csv.gz", ".zip")
    observatoire = "habitat"

    def run(self, path, *, progress=no_progress):
        with open_text(path) as stream:
            return import_file(stream, progress=progress)
