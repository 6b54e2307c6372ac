"""OFGL consolidated accounts of the communes and of the groupements à fiscalité propre (data.ofgl.fr).

Files as the OFGL exports them (CSV UTF-8 with a BOM, ``;``, decimal point; a person may zip them):
one row per collectivité × exercice × agrégat (× budget in the non-consolidated bases). The column
names carry the year of the geography, matched by pattern whatever the year:

- communes: ``Code Insee 2024 Commune`` (``Code Insee 2023 Commune``…), the commune's row;
  the file also names its EPCI (``Code Siren 2024 EPCI``), which is not the row's territory;
- groupements (``ofgl-base-gfp…``): ``Code Siren 2024 EPCI`` with no commune column;
- always ``Exercice``, ``Agrégat``, ``Montant``; ``Population totale`` and ``Code Siren
  Collectivité`` when present. The API exports' field names (``exer``, ``com_code``,
  ``epci_code``, ``agregat``, ``montant``, ``ptot``, ``siren``, ``type_de_budget``) are read too.

Budgets, faithful to the OFGL's documentation:

- consolidated bases (``ofgl-base-communes-consolidee``, ``ofgl-base-gfp-consolidee``; columns
  ``Montant BP``, ``Montant BA``, ``Montant flux BP-BA``, ``Montant``, or older exports with
  ``Montant`` only): ``Montant`` is the OFGL's consolidated value, « Montant BP + Montant BA −
  flux croisés BP-BA »: it is stored as published. A commune nouvelle keeps one row per former
  commune (one SIREN each) under the new code: their amounts are summed, and their populations
  summed over distinct SIRENs.
- non-consolidated bases (``ofgl-base-communes``, ``ofgl-base-gfp``: a ``Type de budget`` column,
  « Budget principal » / « Budget annexe »): the rows of the main and annex budgets of an agrégat
  are summed. These files do not give the flows between the budgets, so they cannot be deducted:
  the summary says so and advises the consolidated file.

An empty ``Montant`` is « no account », not zero: such a row adds nothing (an agrégat with only
empty rows is stored empty). Amounts may be negative (épargne, capacité de financement). Marseille
is published whole (13055); arrondissement codes, if any, add up to their commune, a commune's own
rows winning. Rows of communes outside the territory are counted under their INSEE code; rows of a
groupement outside it under its département code (``83 (EPCI 200035137)``), so the refusal of a
file of elsewhere names the département.
"""

import contextlib
import re

from observatoire.imports.base import ErrorList, Importer, Summary, TooManyErrors, no_progress, register
from observatoire.imports.cells import ByCommune, insee_code, number, territory_codes, whole
from observatoire.imports.files import open_text, read_table
from observatoire.imports.recognise import missing_columns
from observatoire.imports.writing import upsert
from observatoire.territoires.models import Epci

from .models import AgregatComptable
from .tasks import schedule_recompute

COMMAND = "import_ofgl_comptes"
COMMUNE = re.compile(r"^code insee (\d{4}) commune$")
EPCI = re.compile(r"^code siren (\d{4}) epci$")
DEPARTEMENT = re.compile(r"^code insee (\d{4}) d[ée]partement$")
# Exported labels and the API's field names, lower-cased.
FIELDS = {
    "exercice": ("exercice", "exer"),
    "agregat": ("agrégat", "agregat"),
    "montant": ("montant",),
    "population": ("population totale", "ptot"),
    "siren": ("code siren collectivité", "siren"),
    "budget": ("type de budget", "type_de_budget"),
}
API_CODES = {"com_code": "commune", "epci_code": "epci"}
BUDGET_TYPES = {"budget principal", "budget annexe"}
YEAR = re.compile(r"^(\d{4})(-\d\d(-\d\d)?)?$")
PROGRESS_EVERY = 5000


def _normalise(name):
    return " ".join(str(name).lstrip("\ufeff").split()).lower()


def layout(header):
    """(level, {field: column as written}) of a header: level ``commune`` or ``epci``; ImportRejected
    if unusable. Names are compared in lower case with spaces collapsed."""
    names = {}
    for name in header:
        names.setdefault(_normalise(name), name)
    columns = {}
    for field, wanted in FIELDS.items():
        found = [names[name] for name in wanted if name in names]
        if found:
            columns[field] = found[0]
    for pattern, level in ((COMMUNE, "commune"), (EPCI, "epci"), (DEPARTEMENT, "departement")):
        matches = sorted((m[1], original) for name, original in names.items() if (m := pattern.match(name)))
        if matches:
            columns.setdefault(level, matches[-1][1])  # the latest geography when several
    for api, level in (*API_CODES.items(), ("dep_code", "departement")):
        if api in names:
            columns.setdefault(level, names[api])
    level = "commune" if "commune" in columns else "epci" if "epci" in columns else None
    missing = [label for field, label in (("exercice", "Exercice"), ("agregat", "Agrégat"),
                                          ("montant", "Montant")) if field not in columns]  # fmt: skip
    if level is None:
        missing.insert(0, "Code Insee AAAA Commune ou Code Siren AAAA EPCI")
    if missing:
        raise missing_columns(
            header, missing, COMMAND,
            "Le portail lit les comptes consolidés de l'OFGL (data.ofgl.fr, bases communes ou "
            "groupements à fiscalité propre), exportés en CSV avec les libellés des colonnes.",
        )  # fmt: skip
    return level, columns


class Totals:
    """Amount and population of one (territory, exercice, agrégat): rows summed, population once a SIREN."""

    __slots__ = ("known", "montant", "populations")

    def __init__(self):
        self.montant, self.known, self.populations = 0.0, False, {}

    @classmethod
    def of(cls, rows):
        """The totals of (montant, population, siren) rows."""
        totals = cls()
        for row in rows:
            totals.add(*row)
        return totals

    def add(self, montant, population, siren):
        if montant is not None:
            self.montant += montant
            self.known = True
        if population is not None:
            self.populations[siren] = max(population, self.populations.get(siren, 0))

    @property
    def population(self):
        return sum(self.populations.values()) if self.populations else None


def read(stream, progress=no_progress):
    """Validate the whole file: ({(level, id, exercice, agrégat): Totals}, summary, per_budget)."""
    table = read_table(stream)
    level, columns = layout(table.header)
    summary, errors = Summary(), ErrorList()
    codes, own = territory_codes()
    epcis = dict(Epci.objects.filter(communes__isnull=False).distinct().values_list("siren", "id"))
    by_commune = ByCommune(Totals.of, gather=True)
    per_budget = "budget" in columns
    positions = [(column, table.header.index(column)) for column in set(columns.values())]
    with contextlib.suppress(TooManyErrors):
        for line, fields in table:
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                progress(summary.read, 0)
            row = {column: fields[index] for column, index in positions}
            territory = _territory(row, level, columns, (codes, own, epcis), summary, errors, line)
            # A national file is mostly elsewhere: its rows are counted, not parsed.
            values = None if territory is None else _values(row, columns, errors, line)
            if values is None:
                continue
            target_id, arrondissement = territory
            exercice, agregat, *amounts = values
            by_commune.add((level, target_id, exercice, agregat), amounts, arrondissement=arrondissement)
    errors.raise_if_any()
    summary.details["arrondissements_ignores"] = by_commune.ignored_parts
    return dict(by_commune.items()), summary, per_budget


def _territory(row, level, columns, territory, summary, errors, line):
    """(id, is an arrondissement) of the row's commune or EPCI; None when outside the territory or wrong."""
    codes, own, epcis = territory
    column = columns[level]
    raw = (row[column] or "").strip()
    if level == "commune":
        code = insee_code(raw)
        if code is None:
            errors.add(line, column, f"code commune invalide « {raw} ».")
            return None
        if code not in codes:
            summary.note_outside(code)
            return None
        return codes[code], code not in own
    siren = raw.zfill(9)
    if len(siren) != 9 or not siren.isdigit():
        errors.add(line, column, f"SIREN de groupement invalide « {raw} ».")
        return None
    if siren not in epcis:
        departement = (row.get(columns.get("departement", ""), "") or "").strip()
        summary.note_outside(f"{departement} (EPCI {siren})" if departement else siren)
        return None
    return epcis[siren], False


def _values(row, columns, errors, line):
    """(exercice, agrégat, montant, population, siren) of a row, or None after noting its errors."""
    ok = True
    raw_year = (row[columns["exercice"]] or "").strip()
    year = YEAR.match(raw_year)
    exercice = int(year[1]) if year and 2000 <= int(year[1]) <= 2100 else None
    if exercice is None:
        errors.add(line, columns["exercice"], f"exercice invalide « {raw_year} » (année attendue).")
        ok = False
    agregat = " ".join((row[columns["agregat"]] or "").split())
    if not agregat or len(agregat) > 150:
        errors.add(line, columns["agregat"], f"agrégat invalide « {agregat[:60]} ».")
        ok = False
    try:
        montant = number(row[columns["montant"]], signed=True)
    except ValueError:
        raw = row[columns["montant"]]
        errors.add(line, columns["montant"], f"montant invalide « {raw} » (euros attendus).")
        ok = False
    population = None
    if "population" in columns:
        try:
            population = whole(row[columns["population"]])
        except ValueError:
            errors.add(line, columns["population"], f"population invalide « {row[columns['population']]} ».")
            ok = False
    if "budget" in columns:
        budget = " ".join((row[columns["budget"]] or "").split())
        if budget.lower() not in BUDGET_TYPES:
            errors.add(
                line, columns["budget"],
                f"type de budget inconnu « {budget} » (« Budget principal » ou « Budget annexe » attendu).",
            )  # fmt: skip
            ok = False
    siren = (row.get(columns.get("siren", ""), "") or "").strip()
    return (exercice, agregat, montant, population, siren) if ok else None


def import_file(stream, progress=no_progress):
    rows, summary, per_budget = read(stream, progress)
    objects = []
    for (level, target_id, exercice, agregat), totals in rows.items():
        objects.append(
            AgregatComptable(
                commune_id=target_id if level == "commune" else None,
                epci_id=target_id if level == "epci" else None,
                exercice=exercice,
                agregat=agregat,
                montant=totals.montant if totals.known else None,
                population=totals.population,
            )
        )
    summary.details["exercices"] = sorted({exercice for _, _, exercice, _ in rows})
    summary.details["agregats"] = len({agregat for *_, agregat in rows})
    if per_budget and rows:
        summary.warnings.append(
            "Fichier par budget (colonne « Type de budget ») : budgets principal et annexes additionnés "
            "sans déduire leurs flux croisés, que seul le fichier consolidé de l'OFGL donne "
            "(« Montant flux BP-BA ») ; préférez la base consolidée."
        )
    upsert(
        objects,
        summary,
        keys=["commune", "epci", "exercice", "agregat"],
        update_fields=["montant", "population"],
        on_commit=schedule_recompute,
    )
    progress(summary.read, summary.read)
    return summary


@register
class OfglComptesImporter(Importer):
    kind = "ofgl_comptes"
    label = "OFGL : comptes consolidés des communes ou des groupements à fiscalité propre"
    extensions = (".csv", ".zip")
    observatoire = "fiscalite"

    def run(self, path, *, progress=no_progress):
        with open_text(path) as stream:
            return import_file(stream, progress)
