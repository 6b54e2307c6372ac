"""RPLS communal results (SDES), as published: an .xlsx whose sheet ``COMMUNE`` has title rows
(one says « au 1er janvier 2024 »: the millésime), the header (row 6 in the recent vintages) and
one row per commune — per arrondissement municipal for Marseille (``DEPCOM_ARM``). Other columns
are ignored. The SDES also ships the workbook zipped: the .xlsx inside the archive is read.
The sheet's name is compared without case (« COMMUNE », « Commune ») and the header is the row
that holds ``DEPCOM_ARM`` among the first ones, the title rows above it.
"""

import contextlib
import io
import re
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from observatoire.imports.base import (
    ErrorList,
    Importer,
    ImportRejected,
    Summary,
    TooManyErrors,
    no_progress,
    register,
)
from observatoire.imports.cells import (
    ByCommune,
    insee_code,
    number,
    territory_codes,
    total,
    weighted_mean,
    whole,
)
from observatoire.imports.files import (
    data_member,
    no_rows,
    office_document,
    open_text,
    read_table,
    zip_members,
)
from observatoire.imports.recognise import wrong_format
from observatoire.imports.writing import upsert

from .models import ParcSocial
from .tasks import schedule_recompute

SHEET = "COMMUNE"
HEADER_ROW = 6  # in the vintages seen; the header is looked for up to MAX_HEADER_ROW
MAX_HEADER_ROW = 15
COUNTS = ["nb_ls", "nb_loues", "nb_vacants", "nb_vides", "nb_ls_en_qpv"]
RATES = ["tx_vac", "tx_vac3", "tx_mob"]
COLUMNS = ["DEPCOM_ARM", "LIBCOM", *COUNTS, *RATES, "loymoy"]
MILLESIME = re.compile(r"au\s+1(?:er)?\s+janvier\s+(\d{4})", re.IGNORECASE)
PROGRESS_EVERY = 500


def workbook_source(path):
    """The workbook to open: the file itself (an .xlsx is a zip of XML parts), or the .xlsx that a
    zip archive holds, read into memory. A text file is not a workbook: say what it is."""
    names = zip_members(path)
    if names is None:
        raise not_a_workbook(path)
    if office_document(names):
        return path
    member = data_member(path, names, suffixes=(".xlsx",))
    with zipfile.ZipFile(path) as archive:
        return io.BytesIO(archive.read(member))


def not_a_workbook(path):
    """The refusal of a file that is no .xlsx: an official CSV is named with its import."""
    with contextlib.suppress(ImportRejected, OSError, UnicodeError):
        with open_text(path) as stream:
            table = read_table(stream)
        known = wrong_format(table.header, "import_rpls")
        if known is not None:
            return known
    return ImportRejected(
        "Ce fichier n'est pas un classeur Excel (.xlsx) : l'import RPLS lit le fichier des résultats "
        "par commune publié par le SDES (feuille COMMUNE), tel quel ou dans son archive .zip. "
        "Rien n'a été importé."
    )


def _open_sheet(path):
    source = workbook_source(path)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportRejected(
            "Classeur Excel (.xlsx) illisible : le fichier est abîmé ou n'est pas au format .xlsx "
            "(un .xls ou un .ods s'enregistrent en .xlsx depuis le tableur). Rien n'a été importé.",
            [f"{error.__class__.__name__} : {error}"],
        ) from error
    sheet = next((name for name in workbook.sheetnames if name.strip().upper() == SHEET), None)
    if sheet is None:
        workbook.close()
        raise ImportRejected(
            f"Feuille « {SHEET} » absente ; feuilles du classeur : {', '.join(workbook.sheetnames)}."
        )
    return workbook, workbook[sheet]


def millesime_from_titles(title_rows):
    for row in title_rows:
        for cell in row:
            match = MILLESIME.search(str(cell or ""))
            if match:
                return int(match[1])
    raise ImportRejected(
        f"Millésime introuvable : aucune des lignes 1 à {max(len(title_rows), 1)} de la feuille {SHEET} "
        "n'indique « au 1er janvier AAAA »."
    )


def find_header(rows):
    """(title rows, header row, its line): the header is the first row holding ``DEPCOM_ARM``."""
    titles = []
    for line, row in enumerate(rows, start=1):
        if any(str(cell or "").strip().lower() == "depcom_arm" for cell in row):
            return titles, row, line
        titles.append(row)
        if line >= MAX_HEADER_ROW:
            break
    # No header found: the usual place is named, with what it holds.
    row = titles[HEADER_ROW - 1] if len(titles) >= HEADER_ROW else ()
    return titles[: HEADER_ROW - 1], row, HEADER_ROW


def header_positions(row, line=HEADER_ROW):
    """{official column: index}; names compared without case, as the SDES varies it across years."""
    names = [str(cell or "").strip() for cell in row]
    lowered = {name.lower(): index for index, name in enumerate(names) if name}
    missing = [column for column in COLUMNS if column.lower() not in lowered]
    if missing:
        raise ImportRejected(
            f"Colonne(s) absente(s) en ligne {line} : {', '.join(missing)}. "
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
        titles, header, header_line = find_header(rows)
        positions = header_positions(header, header_line)
        millesime = millesime_from_titles(titles)
        width = max(positions.values()) + 1
        expected = max((sheet.max_row or header_line) - header_line, 1)
        codes, own = territory_codes()
        found, errors, summary, seen = ByCommune(_merge), ErrorList(), Summary(), set()
        with contextlib.suppress(TooManyErrors):  # the errors so far are enough to reject the file
            for line, cells in enumerate(rows, start=header_line + 1):
                cells = (*cells, *([None] * width))[:width]
                if all(cells[positions[f]] in (None, "") for f in COUNTS):
                    continue  # blank line or a note under the table (« Source : … »)
                summary.read += 1
                if summary.read % PROGRESS_EVERY == 0:
                    progress(summary.read, expected)
                code = insee_code(cells[positions["DEPCOM_ARM"]])
                if code is None:
                    errors.add(
                        line, "DEPCOM_ARM", f"code commune invalide « {cells[positions['DEPCOM_ARM']]} »."
                    )
                    continue
                if code not in codes:
                    summary.note_outside(code)
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


def import_file(path, *, progress=no_progress):
    items, summary = read(path, progress)
    objects = [
        ParcSocial(commune_id=commune_id, millesime=millesime, **values)
        for (commune_id, millesime), values in items
    ]
    upsert(
        objects,
        summary,
        keys=["commune", "millesime"],
        update_fields=[*COUNTS, *RATES, "loymoy"],
        on_commit=schedule_recompute,
    )
    progress(summary.read, summary.read)
    return summary


@register
class RplsImporter(Importer):
    kind = "rpls"
    label = "RPLS : parc locatif social par commune (feuille COMMUNE)"
    extensions = (".xlsx", ".zip")
    observatoire = "habitat"

    def run(self, path, *, progress=no_progress):
        return import_file(path, progress=progress)
