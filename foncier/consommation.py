"""Consumption of natural, agricultural and forest land (ENAF) by commune, as the Cerema publishes it.

Portail de l'artificialisation, « consommation d'espaces NAF » file: CSV (``;`` or ``,``) with
``idcom``, ``idcomtxt``… and, for each year, the flow in m² between 1 January 20yy and
1 January 20yy+1: ``naf21art22`` (total) and per destination ``art21act22`` (activité),
``hab`` (habitat), ``mix`` (mixte), ``rou`` (routes), ``fer`` (ferroviaire), ``inc`` (inconnue).
Multi-year totals (``naf09art23``…) are ignored: they are sums of the yearly flows. Stored in
hectares, one row per commune and year; arrondissement codes add up to their commune.
"""

import contextlib
import re

from observatoire.imports.base import ErrorList, Importer, ImportRejected, Summary, TooManyErrors, register
from observatoire.imports.files import TextFileImporter, text_table
from observatoire.imports.writing import upsert
from observatoire.territoires.services import official_codes

from .gisements import schedule_recompute
from .models import ConsommationEspace

TOTAL = re.compile(r"^naf(\d\d)art(\d\d)$")
DESTINATION = re.compile(r"^art(\d\d)(act|hab|mix|rou|fer|inc)(\d\d)$")
FIELDS = {"naf": "total_ha", "act": "activite_ha", "hab": "habitat_ha", "mix": "mixte_ha",
          "rou": "routes_ha", "fer": "ferroviaire_ha", "inc": "inconnu_ha"}  # fmt: skip
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


def read(text):
    """Validate the whole file: (rows, summary) or ImportRejected naming line and column."""
    table = text_table(text, str.lower)
    header = table.header
    columns = yearly_columns(header)
    missing = ["idcom"] if "idcom" not in header else []
    if not any(field == "total_ha" for _, field in columns.values()):
        missing.append("naf09art10… (flux annuels)")
    if missing:
        raise ImportRejected(
            f"Colonne(s) absente(s) : {', '.join(missing)}. Colonnes lues : {', '.join(header[:20])}…"
        )
    rows, errors, summary = {}, ErrorList(), Summary()
    with contextlib.suppress(TooManyErrors):
        _read_rows(table, columns, official_codes(), rows, errors, summary)
    errors.raise_if_any()
    return list(rows.values()), summary


def _read_rows(table, columns, codes, rows, errors, summary):
    seen_codes = {}
    for line, raw in table.records():
        summary.read += 1
        code = (raw["idcom"] or "").strip().zfill(5)
        if len(code) != 5 or not code.isalnum():
            errors.add(line, "idcom", f"code commune invalide « {raw['idcom']} ».")
            continue
        if code in seen_codes:
            errors.add(line, "idcom", f"commune « {code} » déjà lue ligne {seen_codes[code]}.")
            continue
        seen_codes[code] = line
        if code not in codes:
            summary.skipped_outside += 1
            continue
        for column, (annee, field) in columns.items():
            value = (raw[column] or "").strip().replace(",", ".").replace(" ", "")
            try:
                m2 = float(value) if value else 0.0
                if m2 < 0 or m2 != m2:
                    raise ValueError
            except ValueError:
                errors.add(line, column, f"surface invalide « {raw[column]} » (m² attendus).")
                continue
            key = (codes[code], annee)
            row = rows.get(key)
            if row is None:
                row = rows[key] = ConsommationEspace(commune_id=codes[code], annee=annee, total_ha=0.0)
            # Marseille published by arrondissement: their flows add up to the commune's.
            setattr(row, field, (getattr(row, field) or 0.0) + m2 / M2_PER_HA)


def import_file(text, dry_run=False):
    rows, summary = read(text)
    summary.details["annees"] = sorted({r.annee for r in rows})
    upsert(rows, summary, keys=["commune", "annee"], update_fields=FIELDS.values(), dry_run=dry_run,
           on_commit=schedule_recompute)  # fmt: skip
    return summary


@register
class ConsommationImporter(TextFileImporter, Importer):
    kind = "consommation_espace"
    label = "Cerema : consommation d'espaces naturels, agricoles et forestiers par commune et par an"
    extensions = (".csv", ".txt", ".csv.gz")
    observatoire = "foncier"
    import_text = staticmethod(import_file)
