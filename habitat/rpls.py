"""RPLS communal results (SDES), as published: an .xlsx whose sheet ``COMMUNE`` has five title rows
(one says « au 1er janvier 2024 »: the millésime), the header on row 6 and one row per commune —
per arrondissement municipal for Marseille (``DEPCOM_ARM``). Other columns are ignored.
"""

import contextlib
import re
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from observatoire.imports.base import ErrorList, Importer, ImportRejected, Summary, TooManyErrors, register
from observatoire.imports.files import no_rows
from observatoire.imports.writing import upsert

from .models import ParcSocial
from .parsing import ByCommune, number, territory_codes, total, weighted_mean, whole
from .tasks import schedule_recompute

SHEET = "COMMUNE"
HEADER_ROW = 6
COUNTS = ["nb_ls", "nb_loues", "nb_vacants", "nb_vides", "nb_ls_en_qpv"]
RATES = ["tx_vac", "tx_vac3", "tx_mob"]
COLUMNS = ["DEPCOM_ARM", "LIBCOM", *COUNTS, *RATES, "loymoy"]
MILLESIME = re.compile(r"au\s+1(?:er)?\s+janvier\s+(\d{4})", re.IGNORECASE)
PROGRESS_EVERY = 500


def _open_sheet(path):
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise ImportRejected(f"Classeur Excel (.xlsx) illisible : {error}.") from error
    if SHEET not in workbook.sheetnames:
        workbook.close()
        raise ImportRejected(
            f"Feuille « {SHEET} » absente ; feuilles du classeur : {', '.join(workbook.sheetnames)}."
        )
    return workbook, workbook[SHEET]


def millesime_from_titles(title_rows):
    for row in title_rows:
        for cell in row:
            match = MILLESIME.search(str(cell or ""))
            if match:
                return int(match[1])
    raise ImportRejected(
        f"Millésime introuvable : aucune des lignes 1 à {HEADER_ROW - 1} de la feuille {SHEET} "
        "n'indique « au 1er janvier AAAA »."
    )


def header_positions(row):
    """{official column: index}; names compared without case, as the SDES varies it across years."""
    names = [str(cell or "").strip() for cell in row]
    lowered = {name.lower(): index for index, name in enumerate(names) if name}
    missing = [column for column in COLUMNS if column.lower() not in lowered]
    if missing:
        raise ImportRejected(
            f"Colonne(s) absente(s) en ligne {HEADER_ROW} : {', '.join(missing)}. "
            f"Colonnes lues : {', '.join(n for n in names if n)}."
        )
    return {column: lowered[column.lower()] for column in COLUMNS}


def _merge(parts):
    """Marseille from its arrondissements: counts add up, rates are weighted by the stock they describe."""
    merged = {field: total(part[field] for part in parts) for field in COUNTS}
    offered = [(part["nb_loues"] or 0) + (part["nb_vacants"] or 0) for part in parts]
    for field in RATES:
        merged[field] = weighted_mean(
            (part[field], weight) for part, weight in zip(parts, offered, strict=True)
        )
    merged["loymoy"] = weighted_mean((part["loymoy"], part["nb_loues"]) for part in parts)
    return merged


def _values(cells, positions, line, errors):
    values = {}
    for field in COUNTS:
        raw = cells[positions[field]]
        try:
            values[field] = whole(raw, secret=True)
        except ValueError:
            errors.add(line, field, f"nombre entier attendu, lu « {raw} ».")
    for field in [*RATES, "loymoy"]:
        raw = cells[positions[field]]
        try:
            values[field] = number(raw, secret=True)
            if field in RATES and values[field] is not None and values[field] > 100:
                raise ValueError
        except ValueError:
            errors.add(line, field, f"nombre invalide « {raw} ».")
    if values.get("nb_ls", 0) is None:
        errors.add(line, "nb_ls", "nombre de logements sociaux vide.")
    return values


def read(path, progress):
    workbook, sheet = _open_sheet(path)
    try:
        rows = sheet.iter_rows(values_only=True)
        titles = [next(rows, ()) for _ in range(HEADER_ROW - 1)]
        millesime = millesime_from_titles(titles)
        positions = header_positions(next(rows, ()))
        width = max(positions.values()) + 1
        expected = max((sheet.max_row or HEADER_ROW) - HEADER_ROW, 1)
        codes, own = territory_codes()
        found, errors, summary, seen = ByCommune(_merge), ErrorList(), Summary(), set()
        with contextlib.suppress(TooManyErrors):  # the errors so far are enough to reject the file
            for line, cells in enumerate(rows, start=HEADER_ROW + 1):
                cells = (*cells, *([None] * width))[:width]
                if all(cells[positions[f]] in (None, "") for f in COUNTS):
                    continue  # blank line or a note under the table (« Source : … »)
                summary.read += 1
                if summary.read % PROGRESS_EVERY == 0:
                    progress(summary.read, expected)
                code = str(cells[positions["DEPCOM_ARM"]] or "").strip().zfill(5)
                if not code.isalnum() or len(code) != 5:
                    errors.add(
                        line, "DEPCOM_ARM", f"code commune invalide « {cells[positions['DEPCOM_ARM']]} »."
                    )
                    continue
                if code not in codes:
                    summary.skipped_outside += 1
                    continue
                if code in seen:
                    errors.add(line, "DEPCOM_ARM", f"commune {code} en double dans la feuille.")
                    continue
                seen.add(code)
                values = _values(cells, positions, line, errors)
                found.add((codes[code], millesime), values, arrondissement=code not in own)
        errors.raise_if_any()
        if not summary.read:
            raise no_rows(f" de la feuille {SHEET}")
    finally:
        workbook.close()
    summary.details["millesime"] = millesime
    summary.details["arrondissements_ignores"] = found.ignored_parts
    return found.items(), summary


def import_file(path, *, dry_run=False, progress=lambda done, total: None):
    items, summary = read(path, progress)
    objects = [
        ParcSocial(commune_id=commune_id, millesime=millesime, **values)
        for (commune_id, millesime), values in items
    ]
    upsert(objects, summary, keys=["commune", "millesime"], update_fields=[*COUNTS, *RATES, "loymoy"],
           dry_run=dry_run, on_commit=schedule_recompute)  # fmt: skip
    progress(summary.read, summary.read)
    return summary


@register
class RplsImporter(Importer):
    kind = "rpls"
    label = "RPLS : parc locatif social par commune (feuille COMMUNE)"
    extensions = (".xlsx",)
    observatoire = "habitat"

    def run(self, path, *, dry_run=False, progress=lambda done, total: None):
        return import_file(path, dry_run=dry_run, progress=progress)
