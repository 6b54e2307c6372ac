"""DGFiP « fichier de recensement des éléments d'imposition à la fiscalité directe locale » (REI).

The DGFiP publishes one zip a year on data.gouv.fr (« Impôts locaux : fichier de recensement des
éléments d'imposition à la fiscalité directe locale (REI) », Licence Ouverte) holding the national
data file and its notice: an ``.xlsx`` workbook for 2013 to 2022, a ``.csv`` (``;``, Latin-1, about
1 000 columns) from 2023. One row per commune, one column per variable. The layouts accepted,
recognised from the header whatever the file's name or vintage:

- **wide, codes** (2013–2018 workbooks, 2023 and later CSVs): the commune is ``DEP`` (département)
  + ``COM`` (3-digit commune code), beside ``DIR``, ``Q02``, ``SIREPCI``, ``Q03``, ``OPTEPCI``,
  ``FORJEPCI``, ``LIBCOM``; variables by code (``E12VOTE``…).
- **wide, long labels** (2019–2022 workbooks): ``DEPARTEMENT`` + ``COMMUNE``, beside ``DIRECTION``,
  « Numéro national du groupement », « NUMERO SIREN DE L'EPCI », « Libellé commune »…; variables by
  label (« FB - COMMUNE / TAUX VOTE »).
- **OFGL long** (data.ofgl.fr, dataset ``rei``: UTF-8 with BOM, ``;``): one row per commune ×
  variable, ``annee``, ``idcom`` (INSEE code), ``var`` (the REI code), ``varlib``, ``valeur``,
  ``secret_statistique``… The code is read first, the label when the code is unknown.

These identifying columns are the ones the files carry, as read by public scripts that load the
2017–2022 files (Stata, R, PHP: ``DEP COM SIREPCI Q03 LIBCOM``, « DEPARTEMENT », « COMMUNE »,
« Libellé commune ») and as the OFGL's export lists its fields; the DGFiP's notice itself could not be
consulted when this was written. Every other column is ignored. ``fiscalite.rei_variables`` maps
codes and labels to the ``Element``s kept.

**The year**: the REI's wide files carry no year column; it is read from a column ``EXERCICE`` or
``ANNEE`` when there is one (the OFGL's ``annee``), else from the workbook's title rows or sheet
name, else from the name of the zip's data member, else from the file's name (« REI_2023.csv »). A
file whose year is found nowhere is refused. (The admin upload keeps no file name: upload the
DGFiP's zip, whose data member is named with the year.)

**Secrecy**: an empty cell is statistical secrecy (stored with ``secret`` and no value), not zero;
so is an OFGL row flagged in ``secret_statistique``. Rates are percentages (0 to 100). Marseille is
published whole (13055); an arrondissement code is not an REI row and is set aside, counted.

The national file has all ~35 000 communes: only the identifying and the mapped columns are
looked at, rows outside the territory are counted and skipped before any value is parsed.
"""

import contextlib
import io
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree
from openpyxl.utils.cell import get_column_letter

from observatoire.imports.base import (
    ErrorList,
    Importer,
    ImportRejected,
    Summary,
    TooManyErrors,
    no_progress,
    register,
)
from observatoire.imports.cells import insee_code, number, territory_codes
from observatoire.imports.files import (
    chosen_member,
    chosen_member_name,
    data_candidates,
    data_member,
    no_rows,
    office_document,
    open_text,
    read_table,
    zip_members,
)
from observatoire.imports.recognise import missing_columns
from observatoire.imports.writing import upsert

from .models import ElementImposition
from .rei_variables import RATES, VARIABLES, Variable, combine_regimes, key, regime_part, variable
from .rei_xlsx import Workbook
from .tasks import schedule_recompute

COMMAND = "import_rei"
SUFFIXES = (".csv", ".txt", ".xlsx")
# Members of the DGFiP's zip that are its documentation, not its data (the notice is a PDF or a workbook).
# The DGFiP zip holds the data file beside its notice (PDF) and « TRACE_REI.xlsx », the list of variables
# (« REI-AAAA-fichier-notice-trace.zip »: csv + TRACE xlsx + notice, as public readers of it say).
NOTICE = re.compile(
    r"notice|trace|documentation|lisez|readme|dictionnaire|descriptif|variables", re.IGNORECASE
)
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
YEAR_COLUMNS = ("EXERCICE", "ANNEE")
HEADER_ROWS = 10
PROGRESS_EVERY = 2000
IDENTIFYING = {"DEP", "COM", "DEPARTEMENT", "COMMUNE", "EXERCICE", "ANNEE",
               "IDCOM", "VAR", "VARLIB", "VALEUR", "SECRETSTATISTIQUE"}  # fmt: skip
UNREADABLE = (zipfile.BadZipFile, KeyError, IndexError, etree.XMLSyntaxError, OSError, ValueError)
# The OFGL writes « sec_stat » (value empty) on a secret row (public readers of its export:
# ``cols[secretIdx] === 'sec_stat'``, test rows « 2025;33;33063;E13;;sec_stat »); the others are kept.
SECRET_FLAGS = {"SEC_STAT", "1", "O", "OUI", "TRUE", "VRAI", "X", "S", "SECRET"}


@dataclass(frozen=True)
class Layout:
    label: str
    departement: str = ""
    commune: str = ""


CODES = Layout("REI, une colonne par variable nommée par son code (2013–2018, 2023 et après)", "DEP", "COM")
LABELS = Layout("REI, une colonne par variable nommée par son libellé (2019–2022)", "DEPARTEMENT", "COMMUNE")
OFGL = Layout("REI republié par l'OFGL, une ligne par commune et variable")
EXPECTED = (
    "DEP et COM (fichier de la DGFiP, variables en codes), DEPARTEMENT et COMMUNE (variables en "
    "libellés, 2019–2022) ou idcom, var et valeur (republication de l'OFGL)"
)


def layout_of(header):
    names = {key(name) for name in header}
    if {"IDCOM", "VALEUR"} <= names and names & {"VAR", "VARLIB"}:
        return OFGL
    if {"DEP", "COM"} <= names:
        return CODES
    if {"DEPARTEMENT", "COMMUNE"} <= names:
        return LABELS
    return None


@dataclass
class Table:
    """The header and the rows ``(line, cells)`` of the data, with what may tell its year."""

    header: list
    rows: object
    titles: list = field(default_factory=list)  # a workbook's title rows and sheet name
    names: list = field(default_factory=list)  # the zip member's name, then the file's
    expected: int = 0


def _text(raw):
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _pick_member(path, names):
    """The data member of the DGFiP's zip: its .csv or .xlsx, the notice (PDF or workbook) left out."""
    if not chosen_member_name() and not data_candidates(names, SUFFIXES, NOTICE.search):
        listing = ", ".join(f"« {name} »" for name in names[:15])
        raise ImportRejected(
            "L'archive ne contient pas de fichier de données du REI (.csv ou .xlsx), seulement sa "
            "documentation : rien n'a été importé.",
            [f"Fichiers de l'archive : {listing or 'aucun'}."],
        )
    return data_member(path, names, SUFFIXES, NOTICE.search)  # several: it asks which, listing them


@contextmanager
def _workbook_table(source, names):
    try:
        workbook = Workbook(source)
    except UNREADABLE as error:
        raise _unreadable(error) from error
    try:
        yield _find_header(workbook, names)
    finally:
        workbook.close()


def _unreadable(error):
    return ImportRejected(
        "Classeur Excel (.xlsx) illisible : le fichier est abîmé ou n'est pas au format .xlsx. "
        "Rien n'a été importé.",
        [f"{error.__class__.__name__} : {error}"],
    )


def needed_columns(header):
    """The indexes of the columns the import looks at: identification, year and the kept variables."""
    return {
        index for index, name in enumerate(header)
        if key(name) in IDENTIFYING or key(name) in VARIABLES or regime_part(name)
    }  # fmt: skip


def _find_header(workbook, names):
    """The first sheet whose header (among its first rows) is an REI one; the rows above are titles."""
    first_rows = []
    try:
        for sheet_name, member in workbook.sheets:
            wanted = {"letters": None}
            rows = workbook.rows(member, wanted)
            titles = [sheet_name]
            for count, (_, cells) in enumerate(rows, start=1):
                header = [_text(cells.get(index)) for index in range(max(cells, default=-1) + 1)]
                if layout_of(header):
                    wanted["letters"] = {
                        get_column_letter(index + 1): index for index in needed_columns(header)
                    }
                    return Table(header, _sheet_rows(rows, len(header)), titles, names)
                if not first_rows:
                    first_rows = [name for name in header if name]
                titles.append(" ".join(header))
                if count >= HEADER_ROWS:
                    break
    except UNREADABLE as error:
        raise _unreadable(error) from error
    raise ImportRejected(
        f"En-tête du REI introuvable dans les {HEADER_ROWS} premières lignes des feuilles "
        f"({', '.join(name for name, _ in workbook.sheets)}) : colonnes attendues {EXPECTED}. "
        "Rien n'a été importé.",
        [f"Première ligne lue : {', '.join(first_rows[:25]) or 'vide'}."],
    )


def _sheet_rows(rows, width):
    """The sheet's rows as lists as wide as the header (the cells not read are None)."""
    try:
        for line, cells in rows:
            values = [None] * width
            for index, value in cells.items():
                if index < width:
                    values[index] = value
            yield line, values
    except UNREADABLE as error:
        raise _unreadable(error) from error


@contextmanager
def _text_table(path, names):
    with open_text(path, SUFFIXES) as stream:
        table = read_table(stream)
        yield Table(table.header, iter(table), [], names)


@contextmanager
def open_table(path):
    """The data of ``path``: a CSV, a workbook, or the one of them inside the DGFiP's zip."""
    names = [Path(path).name]
    members = zip_members(path)
    if members is None:
        with _text_table(path, names) as table:
            yield table
    elif office_document(members):
        with _workbook_table(path, names) as table:
            yield table
    else:
        member = _pick_member(path, members)
        names.insert(0, PurePosixPath(member).name)
        if member.lower().endswith(".xlsx"):
            with zipfile.ZipFile(path) as archive:
                data = io.BytesIO(archive.read(member))
            with _workbook_table(data, names) as table:
                yield table
        else:
            with chosen_member(member), _text_table(path, names) as table:
                yield table


def year_of_file(table):
    """The year told by a workbook's title rows or sheet name, the member's name, or the file's name."""
    for text in [*table.titles, *table.names]:
        match = YEAR.search(str(text))
        if match:
            return int(match[1])
    raise ImportRejected(
        "Année d'imposition introuvable : le fichier n'a pas de colonne EXERCICE ou ANNEE, et ni son "
        "titre ni son nom n'indiquent l'année (par exemple « REI_2023.csv »). Renommez le fichier avec "
        "son année, ou importez l'archive .zip de la DGFiP telle quelle. Rien n'a été importé."
    )


def _file_year(table, year_column):
    """(the file's year, None) when it has no year column; the refusal is kept for the first row of
    the territory, so that an empty file or one of elsewhere is refused for that instead."""
    if year_column is not None:
        return None, None
    try:
        return year_of_file(table), None
    except ImportRejected as refusal:
        return None, refusal


def _year(raw):
    match = re.fullmatch(r"(20\d\d)(?:\.0+)?", _text(raw))
    return int(match[1]) if match else None


def commune_code(departement, commune):
    """The INSEE code from the REI's département (``13``, ``2A``, ``97``/``971``) and commune codes."""
    dep, com = _text(departement).upper(), _text(commune)
    if not dep or not com or not com.isdigit():
        return None
    if dep.isdigit() and len(dep) < 2:
        dep = dep.zfill(2)
    return insee_code(dep + com.zfill(3)[-(5 - len(dep)) :]) if len(dep) in (2, 3) else None


class Reading:
    """What one file gives: values by (commune, année, élément), counts and errors."""

    def __init__(self, progress, expected=0):
        self.codes, self.own = territory_codes()
        self.summary, self.errors = Summary(), ErrorList()
        self.values = {}  # (commune id, année, élément) → (valeur, secret, priority)
        self.arrondissements = 0
        self.progress, self.expected = progress, expected

    def count(self):
        self.summary.read += 1
        if self.summary.read % PROGRESS_EVERY == 0:
            self.progress(self.summary.read, self.expected)

    def commune(self, code):
        """The commune id of ``code``, or None when it lies elsewhere or is an arrondissement."""
        if code not in self.codes:
            self.summary.note_outside(code)
            return None
        if code not in self.own:
            self.arrondissements += 1
            return None
        return self.codes[code]

    def cell(self, line, column, raw, element):
        """(valeur, secret) of a cell, or None after noting the error."""
        try:
            value = number(raw, secret=True)
        except ValueError:
            self.errors.add(line, column, f"nombre attendu, lu « {raw} ».")
            return None
        if value is not None and element in RATES and value > 100:
            self.errors.add(line, column, f"taux de {_text(raw)} % hors de l'intervalle 0 à 100 %.")
            return None
        return value, value is None

    def keep(self, commune_id, annee, var, cell):
        element = var.element_for(annee)
        priority = (var.rank, 1 if var.from_2023 else 0)
        entry = (commune_id, annee, element)
        stored = self.values.get(entry)
        if stored is None or priority < stored[2]:
            self.values[entry] = (*cell, priority)
            return True
        return priority != stored[2]


def read_wide(table, layout, reading):
    normalised = [key(name) for name in table.header]
    position = {}
    for index, name in enumerate(normalised):
        position.setdefault(name, index)
    dep, com = position[layout.departement], position[layout.commune]
    year_column = next((position[name] for name in YEAR_COLUMNS if name in position), None)
    file_year, no_year = _file_year(table, year_column)
    chosen = {}  # element as named → (Variable, column index): the preferred column of each
    for index, name in enumerate(normalised):
        var = VARIABLES.get(name)
        if var and (var.element not in chosen or var.rank < chosen[var.element][0].rank):
            chosen[var.element] = (var, index)
    parts = _regime_columns(table.header, chosen)
    if not chosen and not parts:
        raise missing_columns(
            table.header, ["variables du REI (E12VOTE, « FB - COMMUNE / TAUX VOTE »…)"], COMMAND
        )
    read_columns = [index for _, index in chosen.values()]
    read_columns += [index for columns in parts.values() for _, index in columns]
    reading.summary.details["colonnes_lues"] = sorted(table.header[index] for index in read_columns)
    header, seen = table.header, {}
    width = len(header)
    for line, cells in table.rows:
        if len(cells) < width:  # a workbook's row stops at its last filled cell
            cells = (*cells, *([None] * (width - len(cells))))
        if cells[dep] in (None, "") and not any(cell not in (None, "") for cell in cells):
            continue  # a blank line, or the end of a sheet (looked at only when the commune is empty)
        reading.count()
        code = commune_code(cells[dep], cells[com])
        if code is None:
            reading.errors.add(
                line, header[com], f"code commune invalide « {_text(cells[dep])} » « {_text(cells[com])} »."
            )
            continue
        commune_id = reading.commune(code)
        if commune_id is None:
            continue
        if no_year:
            raise no_year
        annee = file_year or _year(cells[year_column])
        if annee is None:
            reading.errors.add(line, header[year_column], f"année invalide « {_text(cells[year_column])} ».")
            continue
        if (code, annee) in seen:
            reading.errors.add(line, header[com], f"commune {code} déjà lue ligne {seen[code, annee]}.")
            continue
        seen[code, annee] = line
        for var, index in chosen.values():
            cell = reading.cell(line, header[index], cells[index], var.element_for(annee))
            if cell is not None:
                reading.keep(commune_id, annee, var, cell)
        for (element, rank), columns in parts.items():
            given = [(part, reading.cell(line, header[i], cells[i], element)) for part, i in columns]
            if all(cell is not None for _, cell in given):
                reading.keep(commune_id, annee, Variable(element, rank), combine_regimes(element, given))


def _regime_columns(header, chosen):
    """(element, rank) → [(RegimePart, column index)] of the columns split by fiscal regime, for the
    elements the file gives no better-or-equal undivided column of (``P31`` beside ``P31_…``)."""
    parts, regimes = {}, set()
    for index, name in enumerate(header):
        part = regime_part(name)
        if not part or (part.element in chosen and chosen[part.element][0].rank <= part.rank):
            continue
        # One column a regime, the first, as for an undivided variable: « PRODUIT REEL » and
        # « PRODUIT REEL NET » of one regime are the same yield, not two to add up.
        if (part.element, part.rank, part.regime) not in regimes:
            regimes.add((part.element, part.rank, part.regime))
            parts.setdefault((part.element, part.rank), []).append((part, index))
    return parts


def read_long(table, reading):
    position = {}
    for index, name in enumerate(key(name) for name in table.header):
        position.setdefault(name, index)
    idcom, valeur = position["IDCOM"], position["VALEUR"]
    var_column, label_column = position.get("VAR"), position.get("VARLIB")
    year_column, secret_column = position.get("ANNEE"), position.get("SECRETSTATISTIQUE")
    file_year, no_year = _file_year(table, year_column)
    header, ignored = table.header, 0
    split = {}  # (commune id, année, element, rank) → [(RegimePart, cell)]: rows by fiscal regime
    for line, cells in table.rows:
        reading.count()
        var = variable(cells[var_column]) if var_column is not None else None
        if var is None and label_column is not None:
            var = variable(cells[label_column])
        part = regime_part(cells[label_column]) if var is None and label_column is not None else None
        if var is None and part is None:
            ignored += 1  # one of the ~1 000 variables the portal does not keep
            continue
        if part is not None:
            var = Variable(part.element, part.rank)
        code = insee_code(cells[idcom])
        if code is None:
            reading.errors.add(line, header[idcom], f"code commune invalide « {_text(cells[idcom])} ».")
            continue
        commune_id = reading.commune(code)
        if commune_id is None:
            continue
        if no_year:
            raise no_year
        annee = file_year or _year(cells[year_column])
        if annee is None:
            reading.errors.add(line, header[year_column], f"année invalide « {_text(cells[year_column])} ».")
            continue
        cell = reading.cell(line, header[valeur], cells[valeur], var.element_for(annee))
        if cell is None:
            continue
        if secret_column is not None and _text(cells[secret_column]).upper() in SECRET_FLAGS:
            cell = (None, True)
        if part is not None:
            given = split.setdefault((commune_id, annee, part.element, part.rank), [])
            # A regime's second row is a repeat, as for an undivided variable, not a value to add up.
            kept = all(other.regime != part.regime for other, _ in given)
            if kept:
                given.append((part, cell))
        else:
            kept = reading.keep(commune_id, annee, var, cell)
        if not kept:
            named = var_column if var_column is not None and part is None else label_column
            reading.errors.add(
                line,
                header[named],
                f"variable « {_text(cells[named])} » déjà lue pour la commune {code} en {annee}.",
            )
    # After every row, so that an undivided variable of the same rank (``P32VOTE``) is kept first.
    for (commune_id, annee, element, rank), given in split.items():
        reading.keep(commune_id, annee, Variable(element, rank), combine_regimes(element, given))
    reading.summary.details["lignes_variables_non_retenues"] = ignored


def read(path, progress=no_progress):
    """Validate the whole file: (values, summary), or ImportRejected naming line and column."""
    with open_table(path) as table:
        layout = layout_of(table.header)
        if layout is None:
            raise missing_columns(
                table.header,
                [EXPECTED],
                COMMAND,
                "Le fichier attendu est le REI de la DGFiP ou sa republication OFGL.",
            )
        reading = Reading(progress, table.expected)
        with contextlib.suppress(TooManyErrors):  # the errors so far are enough to reject the file
            if layout is OFGL:
                read_long(table, reading)
            else:
                read_wide(table, layout, reading)
    reading.errors.raise_if_any()
    if not reading.summary.read:
        raise no_rows()
    summary = reading.summary
    summary.details.update(
        disposition=layout.label,
        annees=sorted({annee for _, annee, _ in reading.values}),
        valeurs_secretes=sum(secret for _, secret, _ in reading.values.values()),
        arrondissements_ignores=reading.arrondissements,
    )
    return reading.values, summary


def import_file(path, *, progress=no_progress):
    values, summary = read(path, progress)
    objects = [
        ElementImposition(
            commune_id=commune_id, annee=annee, element=str(element), valeur=valeur, secret=secret
        )
        for (commune_id, annee, element), (valeur, secret, _) in values.items()
    ]
    upsert(
        objects,
        summary,
        keys=["commune", "annee", "element"],
        update_fields=["valeur", "secret"],
        on_commit=schedule_recompute,
    )
    progress(summary.read, summary.read)
    return summary


@register
class ReiImporter(Importer):
    kind = "rei"
    label = "REI (DGFiP) : bases, taux et produits de la fiscalité directe locale par commune"
    extensions = (".zip", ".csv", ".xlsx")
    observatoire = "fiscalite"

    def run(self, path, *, progress=no_progress):
        return import_file(path, progress=progress)
