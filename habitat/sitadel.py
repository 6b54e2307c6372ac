"""Sitadel dwellings authorised and started by commune, as the SDES publishes them on DiDo.

Two communal files of the dataset « Logements autorisés et commencés » are read:

- the annual one (« Données annuelles communales - Logements »): ``ANNEE;COMM;TYPE_LGT;LOG_AUT;
  LOG_COM;SDP_AUT;SDP_COM``;
- the monthly one: ``ANNEE;MOIS;CODE_INSEE;TYPE_LGT;…``, whose months are added up into the year.

Cells may be quoted, counts written ``12.0`` (DiDo's decimals), and ``LOG_COM``/``SDP_COM``
empty for a year whose starts are not known yet (read as 0). DiDo may put a line of column
descriptions above the names. Other columns (``DEP``, libellés…) are ignored. Files cover a
département or the whole country: rows of communes outside the territory are counted, not errors.

Nothing is counted twice. ``TYPE_LGT`` holds « Individuel pur », « Individuel groupé »,
« Collectif », « Résidence » and « Tous Logements », their total: the total is not a type and is
left aside when the detail is there (kept as « Non ventilé » when it is alone). A city listed
both whole and by arrondissement (13055 and 13201–13216) keeps its whole rows; arrondissements
alone add up to their commune.
"""

import contextlib

from observatoire.imports.base import (
    ErrorList,
    Importer,
    ImportRejected,
    Summary,
    TooManyErrors,
    no_progress,
    register,
)
from observatoire.imports.cells import ByCommune, insee_code, number, territory_codes
from observatoire.imports.files import open_text, read_table
from observatoire.imports.recognise import missing_columns
from observatoire.imports.writing import upsert

from .models import ConstructionAnnuelle
from .tasks import schedule_recompute

COLUMNS = ["ANNEE", "COMM", "TYPE_LGT", "LOG_AUT", "LOG_COM", "SDP_AUT", "SDP_COM"]  # the annual file
CODE_COLUMNS = ("COMM", "CODE_INSEE")  # annual file, monthly file
NUMBERS = {"LOG_AUT": "logements_autorises", "LOG_COM": "logements_commences",
           "SDP_AUT": "surface_autorisee", "SDP_COM": "surface_commencee"}  # fmt: skip
# The same dataset's other levels: their rows are not communes.
OTHER_LEVELS = {"DEPARTEMENT_CODE": "par département", "DEP_CODE": "par département", "EPCI": "par EPCI",
                "REG": "par région", "REGION_CODE": "par région"}  # fmt: skip
STARTS = ("LOG_COM", "SDP_COM")
ALL_TYPES = "tous logements"
NOT_DETAILED = "Non ventilé"
PROGRESS_EVERY = 5000


def columns_of(header):
    """The commune code column of this layout; ImportRejected naming what is missing."""
    code_column = next((name for name in CODE_COLUMNS if name in header), None)
    level = next((label for name, label in OTHER_LEVELS.items() if name in header), None)
    if code_column is None and level and "LOG_AUT" in header:
        raise ImportRejected(
            f"Ce fichier Sitadel donne les logements {level}, pas par commune : importez les « Données "
            "annuelles communales - Logements » du même jeu de données (colonne COMM). Rien n'a été importé."
        )
    missing = [name for name in COLUMNS if name not in header and not (name == "COMM" and code_column)]
    if missing:
        raise missing_columns(header, missing, "import_sitadel")
    return code_column


def read(stream, progress=no_progress):
    """Validate the whole file: ({(commune id, année, type): values}, summary) or ImportRejected."""
    table = read_table(stream, header_has=("ANNEE", *CODE_COLUMNS), normalise=str.upper)
    code_column = columns_of(table.header)
    monthly = "MOIS" in table.header
    codes, own = territory_codes()
    found, errors, summary, seen, unknown_starts = {}, ErrorList(), Summary(), set(), set()
    with contextlib.suppress(TooManyErrors):  # the errors so far are enough to reject the file
        for line, raw in table.records():
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                progress(summary.read, 0)
            row = _row(raw, line, code_column, monthly, errors)
            if row is None:
                continue
            code, key, values = row
            if code not in codes:
                summary.note_outside(code)
                continue
            period = (*key, raw["MOIS"].strip()) if monthly else key
            if period in seen:
                when = f"{key[1]}-{period[3]}" if monthly else key[1]
                errors.add(
                    line, code_column, f"commune {code}, {when}, « {key[2]} » en double dans le fichier."
                )
                continue
            seen.add(period)
            if not (raw["LOG_COM"] or "").strip():
                unknown_starts.add(key[1])
            add_into(found.setdefault(key, dict.fromkeys(NUMBERS.values())), values)
    errors.raise_if_any()
    rows = by_commune(without_totals(found, summary), codes, own, summary)
    summary.details["annees"] = sorted({annee for _, annee, _ in rows})
    if unknown_starts:
        years = ", ".join(map(str, sorted(unknown_starts)))
        summary.warnings.append(
            f"Logements commencés non renseignés dans le fichier pour {years} (chantiers pas encore "
            "connus du SDES) : laissés vides, ni comptés ni affichés comme zéro. Réimportez le fichier "
            "d'un prochain millésime pour les avoir."
        )
    return rows, summary


def _row(raw, line, code_column, monthly, errors):
    """(code, (code, année, type), values) of a valid row; None after noting its errors."""
    code = insee_code(raw[code_column])
    if code is None:
        errors.add(line, code_column, f"code commune invalide « {raw[code_column]} ».")
        return None
    try:
        annee = int(raw["ANNEE"])
        if not 1950 <= annee <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors.add(line, "ANNEE", f"année invalide « {raw['ANNEE']} ».")
        return None
    if monthly and not (raw["MOIS"] or "").strip().isdigit():
        errors.add(line, "MOIS", f"mois invalide « {raw['MOIS']} ».")
        return None
    type_logement = " ".join((raw["TYPE_LGT"] or "").split())
    if not type_logement:
        errors.add(line, "TYPE_LGT", "type de logement vide.")
        return None
    values = {}
    for column, attribute in NUMBERS.items():
        try:
            value = number(raw[column])
            if value is None:
                # Starts not known yet are unknown; an empty authorisation count is none.
                values[attribute] = None if column in STARTS else 0
                continue
            if column.startswith("LOG") and value != int(value):
                raise ValueError
            values[attribute] = round(value)  # a floor area may come with decimals
        except ValueError:
            errors.add(line, column, f"nombre invalide « {raw[column]} ».")
    if len(values) < len(NUMBERS):
        return None
    return code, (code, annee, type_logement), values


def add_into(total, values):
    """Add ``values`` into ``total``, field by field: unknown (None) only while nothing is known."""
    for name, value in values.items():
        if value is not None:
            total[name] = (total[name] or 0) + value


def without_totals(found, summary):
    """The rows by type, « Tous Logements » left aside where the types are detailed."""
    detailed = {(code, annee) for code, annee, kind in found if kind.lower() != ALL_TYPES}
    kept, totals_ignored = {}, 0
    for (code, annee, kind), values in found.items():
        if kind.lower() == ALL_TYPES:
            if (code, annee) in detailed:
                totals_ignored += 1
                continue
            kind = NOT_DETAILED
        kept[(code, annee, kind)] = values
    summary.details["totaux_tous_logements_ignores"] = totals_ignored
    return kept


def by_commune(found, codes, own, summary):
    """{(commune id, année, type): values}: a commune's own rows for a year, else its arrondissements'.

    Keyed by year, not by type: 13055's « Collectif » alone sets aside every arrondissement row of
    that year, whatever its type, as the whole city's rows already count them.
    """
    years = ByCommune(_by_type, gather=True)
    for (code, annee, kind), values in found.items():
        years.add((codes[code], annee), (kind, values), arrondissement=code not in own)
    summary.details["arrondissements_ignores"] = years.ignored_parts
    return {(*key, kind): values for key, kinds in years.items() for kind, values in kinds.items()}


def _by_type(rows):
    """{type: values} of (type, values) rows, those of one type added up."""
    kinds = {}
    for kind, values in rows:
        add_into(kinds.setdefault(kind, dict.fromkeys(NUMBERS.values())), values)
    return kinds


def import_file(stream, progress=no_progress):
    rows, summary = read(stream, progress)
    objects = [
        ConstructionAnnuelle(commune_id=commune_id, annee=annee, type_logement=kind, **values)
        for (commune_id, annee, kind), values in rows.items()
    ]
    upsert(
        objects,
        summary,
        keys=["commune", "annee", "type_logement"],
        update_fields=NUMBERS.values(),
        on_commit=_schedule_recompute,
    )
    progress(summary.read, summary.read)
    return summary


def _schedule_recompute():
    from foncier.tasks import schedule_recompute as schedule_foncier

    schedule_recompute()
    schedule_foncier()  # floor area authorised is a foncier indicator read from Sitadel


@register
class SitadelImporter(Importer):
    kind = "sitadel"
    label = "Sitadel : logements autorisés et commencés par commune et par an"
    extensions = (".csv", ".txt", ".csv.gz", ".zip")
    observatoire = "habitat"

    def run(self, path, *, progress=no_progress):
        with open_text(path) as stream:
            return import_file(stream, progress)
