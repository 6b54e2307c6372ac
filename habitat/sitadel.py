"""Sitadel yearly file by commune, as published by the SDES.

Columns ``ANNEE, COMM, TYPE_LGT, LOG_AUT, LOG_COM, SDP_AUT, SDP_COM`` (``;`` or ``,`` separated).
Files cover a département or the whole country: rows of communes outside the territory are
skipped and counted, not errors. Arrondissement codes (13201…) map to their commune.
"""

import contextlib

from observatoire.core.publish import publish_quietly
from observatoire.imports.base import ErrorList, Importer, ImportRejected, Summary, TooManyErrors, register
from observatoire.imports.files import TextFileImporter, text_table
from observatoire.imports.writing import upsert
from observatoire.territoires.services import official_codes

from .models import ConstructionAnnuelle
from .tasks import schedule_recompute

COLUMNS = ["ANNEE", "COMM", "TYPE_LGT", "LOG_AUT", "LOG_COM", "SDP_AUT", "SDP_COM"]
NUMBERS = {"LOG_AUT": "logements_autorises", "LOG_COM": "logements_commences",
           "SDP_AUT": "surface_autorisee", "SDP_COM": "surface_commencee"}  # fmt: skip


def read(text):
    """Validate the whole file: (rows, summary, years), or ImportRejected naming line and column."""
    table = text_table(text, str.upper)
    header = table.header
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ImportRejected(
            f"Colonne(s) absente(s) : {', '.join(missing)}. Colonnes lues : {', '.join(header)}."
        )
    codes = official_codes()
    rows, errors, summary, seen, years = [], ErrorList(), Summary(), {}, set()
    with contextlib.suppress(TooManyErrors):  # the errors so far are enough to reject the file
        _read_rows(table, codes, rows, errors, summary, seen, years)
    errors.raise_if_any()
    return rows, summary, years


def _read_rows(table, codes, rows, errors, summary, seen, years):
    for line, raw in table.records():
        summary.read += 1
        code = (raw["COMM"] or "").strip().zfill(5)
        if not code.isalnum() or len(code) != 5:
            errors.add(line, "COMM", f"code commune invalide « {raw['COMM']} ».")
            continue
        if code not in codes:
            summary.skipped_outside += 1
            continue
        try:
            annee = int(raw["ANNEE"])
            if not 1950 <= annee <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            errors.add(line, "ANNEE", f"année invalide « {raw['ANNEE']} ».")
            continue
        values = {}
        for column, attribute in NUMBERS.items():
            try:
                values[attribute] = int(float((raw[column] or "0").replace(",", ".")))
                if values[attribute] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                errors.add(line, column, f"nombre invalide « {raw[column]} ».")
        type_logement = (raw["TYPE_LGT"] or "").strip()
        if not type_logement:
            errors.add(line, "TYPE_LGT", "type de logement vide.")
            continue
        key = (codes[code], annee, type_logement)
        if key in seen:
            # Arrondissements of Marseille: their rows add up to the commune's.
            for attribute, value in values.items():
                setattr(seen[key], attribute, getattr(seen[key], attribute) + value)
            continue
        row = ConstructionAnnuelle(commune_id=codes[code], annee=annee, type_logement=type_logement, **values)
        seen[key] = row
        rows.append(row)
        years.add(annee)


def import_file(text, dry_run=False):
    rows, summary, _ = read(text)
    return upsert(rows, summary, keys=["commune", "annee", "type_logement"], update_fields=NUMBERS.values(),
                  dry_run=dry_run, on_commit=_schedule_recompute)  # fmt: skip


def _schedule_recompute():
    from foncier.tasks import recompute_indicators as recompute_foncier

    schedule_recompute()
    publish_quietly(recompute_foncier)  # floor area authorised is a foncier indicator read from Sitadel


@register
class SitadelImporter(TextFileImporter, Importer):
    kind = "sitadel"
    label = "Sitadel : logements autorisés et commencés par commune et par an"
    extensions = (".csv", ".txt", ".csv.gz")
    observatoire = "habitat"
    import_text = staticmethod(import_file)
