"""DGCL « critères de répartition des dotations » of the communes, one file per year.

The DGCL publishes each year (dotations-dgcl.interieur.gouv.fr, « critères de répartition »; the
same files on data.gouv.fr) one CSV of ~35 000 communes × a few hundred columns, with a decimal
comma (so ``,``-separated files quote their decimals; ``;`` files are read too), in UTF-8 or in
Windows-1252/Latin-1, possibly zipped. Column labels are « Section - Libellé » and drift between
years in accents, case, spacing, apostrophes and wording; they are matched after normalisation
(accents stripped, lower case, typographic apostrophes and dashes unified, whitespace collapsed),
the section prefix being optional. Label sets read (see ``PATTERNS``):

- 2019: « Informations générales - Population DGF Année N' », « … - Potentiel financier »,
  « … - Potentiel financier par habitant », « … - Potentiel financier moyen de la strate »,
  « Effort fiscal - Effort fiscal », « … - Potentiel fiscal 4 taxes »;
- 2020–2021: « Population DGF de l'année N' » (2020) / « … de l'année N » (2021), « Population
  INSEE de l'année N », « Potentiel financier moyen par habitant de la strate »;
- 2022 onwards (reform of the financial indicators): the « final » columns — « Potentiel
  financier final », « Potentiel financier par habitant final », « Potentiel fiscal 4 taxes
  final », « Effort fiscal final » — preferred to the non-final ones when a file has both.

Only the code INSEE column is required; each other criterion is read when its column is there
(« Effort fiscal moyen de la strate » is not in every vintage). The year is a column « Année » /
« Exercice » when the file has one, else the one given (``--annee``, or the admin's kind
``dgcl_criteres:AAAA``), else four digits of the file's or the archive member's name
(``criteres_repartition_2024.csv``, ``2019-communes-criteres-repartition.csv``). Marseille is
published whole (13055) as in every DGCL file.
"""

import contextlib
import re
import unicodedata
from datetime import date
from pathlib import Path

from observatoire.imports.base import (
    ErrorList,
    Importer,
    ImportRejected,
    Summary,
    TooManyErrors,
    no_progress,
    register,
)
from observatoire.imports.cells import insee_code, number, territory_codes, whole
from observatoire.imports.files import open_text, read_table
from observatoire.imports.recognise import missing_columns
from observatoire.imports.writing import upsert

from .models import CriteresDotation
from .tasks import schedule_recompute

COMMAND = "import_dgcl_criteres"
GENERAL = r"^(informations generales - )?"
POTENTIEL = r"^(potentiel fiscal et financier des communes - )?"
EFFORT = r"^(effort fiscal - )?"
ANNEE_N = r"( de l'annee n'?| annee n'?| de l'annee| annee)?$"
# field → patterns in order of preference (« final » first: from 2022 a file may carry both).
PATTERNS = {
    "code": [GENERAL + r"code insee de la commune$", r"^code insee$", r"^code commune$"],
    "annee": [r"^annee$", r"^exercice$", GENERAL + r"annee$"],
    "population_dgf": [GENERAL + r"population dgf" + ANNEE_N],
    "population_insee": [GENERAL + r"population insee" + ANNEE_N],
    "strate": [GENERAL + r"strate demographique" + ANNEE_N],
    "potentiel_fiscal": [
        POTENTIEL + r"potentiel fiscal( 4 taxes)? final$",
        POTENTIEL + r"potentiel fiscal( 4 taxes)?$",
    ],
    "potentiel_financier": [POTENTIEL + r"potentiel financier final$", POTENTIEL + r"potentiel financier$"],
    "potentiel_financier_par_habitant": [
        POTENTIEL + r"potentiel financier par habitant final$",
        POTENTIEL + r"potentiel financier par habitant$",
    ],
    "potentiel_financier_moyen_strate": [
        POTENTIEL + r"potentiel financier moyen (par habitant )?de la strate final$",
        POTENTIEL + r"potentiel financier moyen (par habitant )?de la strate$",
    ],
    "effort_fiscal": [EFFORT + r"effort fiscal final$", EFFORT + r"effort fiscal$"],
    "effort_fiscal_moyen_strate": [
        EFFORT + r"effort fiscal moyen (des communes )?de la strate final$",
        EFFORT + r"effort fiscal moyen (des communes )?de la strate$",
    ],
}
INTEGERS = {"population_dgf", "population_insee"}
FLOATS = ("potentiel_fiscal", "potentiel_financier", "potentiel_financier_par_habitant",
          "potentiel_financier_moyen_strate", "effort_fiscal", "effort_fiscal_moyen_strate")  # fmt: skip
CRITERIA = ("population_dgf", "population_insee", "strate", *FLOATS)
YEAR_IN_NAME = re.compile(r"(?<!\d)(20[0-9]{2})(?!\d)")
PROGRESS_EVERY = 2000
FIRST_YEAR = 2011
# Since 2022 the DGCL's table no longer gives the stratum's mean potentiel financier per inhabitant;
# LexImpact recomputes it as Σ potentiel financier ÷ Σ population DGF of the stratum, overseas communes
# left out (leximpact-dotations-back, corrige_potentiel_moyen_strate). Only a national file allows it:
# below this many communes the file is an extract and the mean is left empty.
NATIONAL_FILE = 30_000


def normalise(label):
    """« Informations générales - Population DGF de l’année N' » → « informations generales - population
    dgf de l'annee n' »: accents stripped, lower case, one kind of apostrophe and dash, spaces collapsed."""
    text = unicodedata.normalize("NFKD", str(label).lstrip("\ufeff"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[\u2019\u2018`´]", "'", text)
    text = re.sub(r"\s*[-\u2013\u2014]\s+|\s+[-\u2013\u2014]\s*", " - ", text)
    return " ".join(text.replace("\u00a0", " ").split())


def columns_of(header):
    """{field: column as written} of the fields whose normalised label the header holds."""
    names = [(normalise(name), name) for name in header]
    found = {}
    for field, patterns in PATTERNS.items():
        for pattern in patterns:
            regex = re.compile(pattern)
            matches = [name for label, name in names if regex.match(label)]
            if matches:
                found[field] = matches[0]
                break
    return found


def year_of(path, name_in_archive=None):
    """The four digits of a year in the member's or the file's name, or None."""
    for name in (name_in_archive, Path(path).name):
        found = YEAR_IN_NAME.findall(Path(name or "").name)
        if found:
            return int(found[-1])
    return None


def read(stream, annee=None, progress=no_progress):
    """Validate the whole file: ({(commune id, année): criteria}, summary)."""
    table = read_table(stream)
    columns = columns_of(table.header)
    if "code" not in columns:
        raise missing_columns(
            table.header, ["Informations générales - Code INSEE de la commune"], COMMAND,
            "Le portail lit le fichier communal des critères de répartition des dotations de la DGCL.",
        )  # fmt: skip
    if not set(columns) & set(CRITERIA):
        raise ImportRejected(
            "Aucun critère reconnu (population DGF, potentiel fiscal ou financier, effort fiscal) : "
            "rien n'a été importé.",
            [f"Colonnes lues : {', '.join(table.header[:25])}."],
        )
    codes, own = territory_codes()
    rows, seen, errors, summary = {}, {}, ErrorList(), Summary()
    strata = {}  # (année, strate) → [Σ potentiel financier, Σ population DGF], outside rows included
    with contextlib.suppress(TooManyErrors):
        for line, fields in table:
            if annee is None and "annee" not in columns:
                raise ImportRejected(
                    "Année du fichier inconnue : le nom du fichier ne la porte pas et aucune colonne "
                    "« Année » n'existe. Indiquez-la (option --annee AAAA). Rien n'a été importé."
                )
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                progress(summary.read, 0)
            row = dict(zip(table.header, fields, strict=True))
            _read_row(row, line, columns, annee, codes, rows, seen, errors, summary, strata, own)
    errors.raise_if_any()
    summary.details["annees"] = sorted({year for _, year in rows})
    summary.details["criteres"] = [field for field in CRITERIA if field in columns]
    _stratum_means(columns, rows, strata, summary)
    return rows, summary


def _stratum_means(columns, rows, strata, summary):
    """The stratum's mean potentiel financier per inhabitant, recomputed when the file lacks it."""
    needed = {"potentiel_financier", "population_dgf", "strate"}
    if "potentiel_financier_moyen_strate" in columns or not needed <= set(columns):
        return
    if summary.read < NATIONAL_FILE:
        summary.warnings.append(
            "Potentiel financier moyen de la strate absent du fichier (la DGCL ne le donne plus depuis "
            "2022) et non recalculé : le fichier n'est pas le fichier national."
        )
        return
    for (_, year), values in rows.items():
        pf, pop = strata.get((year, values.get("strate")), (0, 0))
        values["potentiel_financier_moyen_strate"] = pf / pop if pop else None
    summary.details["criteres"].append("potentiel_financier_moyen_strate")
    summary.warnings.append(
        "Potentiel financier moyen de la strate absent du fichier (la DGCL ne le donne plus depuis 2022) : "
        "recalculé, somme des potentiels financiers ÷ somme des populations DGF de la strate, hors outre-mer."
    )


def _read_row(row, line, columns, annee, codes, rows, seen, errors, summary, strata, own):
    raw = (row[columns["code"]] or "").strip()
    code = insee_code(raw)
    if code is None:
        errors.add(line, columns["code"], f"code INSEE invalide « {raw} ».")
        return
    year = annee
    if "annee" in columns:
        text = (row[columns["annee"]] or "").strip()
        if not (text.isdigit() and 2000 <= int(text) <= 2100):
            errors.add(line, columns["annee"], f"année invalide « {text} ».")
            return
        year = int(text)
    if (code, year) in seen:
        errors.add(line, columns["code"], f"commune « {code} » déjà lue ligne {seen[(code, year)]}.")
        return
    seen[(code, year)] = line
    _add_to_stratum(row, columns, code, year, strata)
    if code not in codes:
        summary.note_outside(code)
        return
    if code not in own:
        # The DGCL publishes Marseille whole (13055): an arrondissement's row would overwrite it.
        summary.details["arrondissements_ignores"] = summary.details.get("arrondissements_ignores", 0) + 1
        return
    values = {}
    for field in CRITERIA:
        column = columns.get(field)
        if column is None:
            continue
        cell = row[column]
        if field == "strate":
            values[field] = " ".join((cell or "").split())[:80]
            continue
        try:
            values[field] = whole(cell, secret=True) if field in INTEGERS else number(cell, secret=True)
        except ValueError:
            kind = "nombre entier" if field in INTEGERS else "nombre (virgule décimale)"
            errors.add(line, column, f"valeur invalide « {cell} » ({kind} attendu).")
    rows[(codes[code], year)] = values


def _add_to_stratum(row, columns, code, year, strata):
    if code.startswith("97") or not {"potentiel_financier", "population_dgf", "strate"} <= set(columns):
        return
    try:
        pf = number(row[columns["potentiel_financier"]], secret=True)
        pop = whole(row[columns["population_dgf"]], secret=True)
    except ValueError:
        return  # reported for the territory's rows; elsewhere it only leaves the commune out of the mean
    if pf is not None and pop:
        sums = strata.setdefault((year, " ".join((row[columns["strate"]] or "").split())[:80]), [0.0, 0])
        sums[0] += pf
        sums[1] += pop


def import_file(stream, annee=None, progress=no_progress):
    rows, summary = read(stream, annee, progress)
    fields = summary.details["criteres"]
    objects = [CriteresDotation(commune_id=key[0], annee=key[1], **values) for key, values in rows.items()]
    upsert(objects, summary, keys=["commune", "annee"], update_fields=fields, on_commit=schedule_recompute)
    progress(summary.read, summary.read)
    return summary


@register
class DgclCriteresImporter(Importer):
    kind = "dgcl_criteres"
    label = "DGCL : critères de répartition des dotations des communes"
    extensions = (".csv", ".zip")
    observatoire = "fiscalite"
    plain_label = f"{label}, année lue dans le nom du fichier"

    def __init__(self, annee=None):
        self.annee = annee

    def variants(self):
        """One kind per year for the admin upload, for a file whose name does not say its year."""
        last = date.today().year + 1
        return [(str(year), f"{self.label}, {year}") for year in range(last, FIRST_YEAR - 1, -1)]

    def variant(self, suffix):
        if not (suffix.isdigit() and FIRST_YEAR <= int(suffix) <= date.today().year + 1):
            raise KeyError(suffix)
        imp = type(self)(int(suffix))
        imp.kind = f"{self.kind}:{suffix}"
        return imp

    def run(self, path, *, progress=no_progress):
        with open_text(path) as stream:
            annee = self.annee or year_of(path, stream.name_in_archive)
            return import_file(stream, annee, progress)
