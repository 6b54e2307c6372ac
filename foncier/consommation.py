"""Consumption of natural, agricultural and forest land (ENAF) by commune, as the Cerema publishes it.

Portail de l'artificialisation, « consommation d'espaces NAF » file by commune (``conso_com.csv``,
sometimes zipped): CSV (``,`` or ``;``) with ``idcom``, ``idcomtxt``… and, for each year, the
flow in m² between 1 January 20yy and 1 January 20yy+1: ``naf21art22`` (total) and per
destination ``art21act22`` (activité), ``hab`` (habitat), ``mix`` (mixte), ``rou`` (routes),
``fer`` (ferroviaire), ``inc`` (inconnue). The window slides with the vintages (2009–2021 then
2009–2023 with ``naf09art10``…, 2011–2024 with ``naf11art12``…); the first vintages had no
``rou``/``fer`` and wrote the names in capitals: every yearly column found is read. Multi-year
totals (``naf09art23``, ``naf11art21``…) are ignored: they are sums of the yearly flows. The
« inconnue » destination, computed by the Cerema as the flow minus the others, carries rounding
residues of −1 or −2 m²: a destination down to −10 m² is read as published, below it is an error.
Stored in hectares, one row per commune and year. Marseille is published whole (13055) in the
recent vintages; arrondissement codes add up to their commune, and a commune's own row wins over
its arrondissements' when a file has both.
"""

import contextlib
import re

from observatoire.imports.base import (
    ErrorList,
    Importer,
    Summary,
    TooManyErrors,
    no_progress,
    register,
)
from observatoire.imports.cells import ByCommune, insee_code, territory_codes
from observatoire.imports.files import open_text, read_table
from observatoire.imports.recognise import missing_columns
from observatoire.imports.writing import upsert

from .models import ConsommationEspace
from .tasks import schedule_recompute

TOTAL = re.compile(r"^naf(\d\d)art(\d\d)$")
DESTINATION = re.compile(r"^art(\d\d)(act|hab|mix|rou|fer|inc)(\d\d)$")
FIELDS = {"naf": "total_ha", "act": "activite_ha", "hab": "habitat_ha", "mix": "mixte_ha",
          "rou": "routes_ha", "fer": "ferroviaire_ha", "inc": "inconnu_ha"}  # fmt: skip
ROUNDING_RESIDUE_M2 = -10.0
PROGRESS_EVERY = 2000
M2_PER_HA = 10_000


def yearly_columns(header):
    """Column → (year, field) for the yearly flows only (20yy → 20yy+1)."""
    found = {}
    for column in header:
        total, destination = TOTAL.match(column), DESTINATION.match(column)
        if total and int(total[2]) == int(total[1]) + 1:
            found[column] = (2000 + int(total[1]), FIELDS["naf"])
        elif destination and int(destination[3]) == int(destination[1]) + 1:
            found[column] = (2000 + int(destination[1]), FIELDS[destination[2]])
    return found


def read(stream, progress=no_progress):
    """Validate the whole file: (rows, summary) or ImportRejected naming line and column."""
    table = read_table(stream, normalise=str.lower)
    header = table.header
    columns = yearly_columns(header)
    missing = ["idcom"] if "idcom" not in header else []
    if not any(field == "total_ha" for _, field in columns.values()):
        missing.append("naf09art10… (flux annuels)")
    if missing:
        raise missing_columns(header, missing, "import_consommation_espace")
    rows, errors, summary = ByCommune(_sum), ErrorList(), Summary()
    with contextlib.suppress(TooManyErrors):
        _read_rows(table, columns, rows, errors, summary, progress)
    errors.raise_if_any()
    summary.details["arrondissements_ignores"] = rows.ignored_parts
    return dict(rows.items()), summary


def _read_rows(table, columns, rows, errors, summary, progress):
    """Each commune's hectares by year into ``rows`` (a ByCommune): arrondissements add up."""
    codes, own = territory_codes()
    seen_codes = {}
    for line, raw in table.records():
        summary.read += 1
        if summary.read % PROGRESS_EVERY == 0:
            progress(summary.read, 0)
        code = insee_code(raw["idcom"])
        if code is None:
            errors.add(line, "idcom", f"code commune invalide « {raw['idcom']} ».")
            continue
        if code in seen_codes:
            errors.add(line, "idcom", f"commune « {code} » déjà lue ligne {seen_codes[code]}.")
            continue
        seen_codes[code] = line
        if code not in codes:
            summary.note_outside(code)
            continue
        years = {}
        for column, (annee, field) in columns.items():
            m2 = _surface(raw[column], field)
            if m2 is None:
                errors.add(line, column, f"surface invalide « {raw[column]} » (m² attendus).")
                continue
            years.setdefault(annee, dict.fromkeys(FIELDS.values(), 0.0))[field] = m2 / M2_PER_HA
        for annee, values in years.items():
            rows.add((codes[code], annee), values, arrondissement=code not in own)


def _surface(raw, field):
    """The m² of a cell (empty is 0); None when it is not a surface the Cerema publishes."""
    value = (raw or "").strip().replace(",", ".").replace(" ", "")
    try:
        m2 = float(value) if value else 0.0
    except ValueError:
        return None
    floor = ROUNDING_RESIDUE_M2 if field != "total_ha" else 0.0
    if m2 != m2 or m2 < floor:
        return None
    return m2


def _sum(parts):
    """Hectares of a commune's arrondissements, field by field."""
    return {field: sum(part[field] for part in parts) for field in FIELDS.values()}


def import_file(stream, progress=no_progress):
    rows, summary = read(stream, progress)
    objects = [
        ConsommationEspace(commune_id=commune_id, annee=annee, **values)
        for (commune_id, annee), values in rows.items()
    ]
    summary.details["annees"] = sorted({annee for _, annee in rows})
    upsert(
        objects,
        summary,
        keys=["commune", "annee"],
        update_fields=FIELDS.values(),
        on_commit=schedule_recompute,
    )
    progress(summary.read, summary.read)
    return summary


@register
class ConsommationImporter(Importer):
    kind = "consommation_espace"
    label = "Cerema : consommation d'espaces naturels, agricoles et forestiers par commune et par an"
    extensions = (".csv", ".txt", ".csv.gz", ".zip")
    observatoire = "foncier"

    def run(self, path, *, progress=no_progress):
        with open_text(path) as stream:
            return import_file(stream, progress)
