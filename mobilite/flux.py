"""INSEE "mobilités professionnelles": flows of employed people from home to work commune.

``CODGEO;LIBGEO;DCLT;L_DCLT;NBFLUX_C22_ACTOCC15P``: the last column names the census
(C22 → millésime 2022). Marseille is published by arrondissement (13201…13216) on both
ends: flows are added up on the commune (13055). Rows whose residence is outside the
territory are skipped and counted; a workplace outside it is kept with its official code.
"""

import contextlib
import re

from django.db import transaction

from observatoire.imports.base import ErrorList, ImportRejected, Summary, TooManyErrors
from observatoire.imports.files import CsvTable
from observatoire.territoires.models import Commune
from observatoire.territoires.services import official_codes

from .models import Flux

COLUMNS = ["CODGEO", "LIBGEO", "DCLT", "L_DCLT"]
COUNT = re.compile(r"^NBFLUX_C(\d{2})_ACTOCC15P$")
CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
PROGRESS_EVERY = 50_000


def count_column(header):
    """The census's flow column and its millésime; ImportRejected if a column is missing."""
    counts = [name for name in header if COUNT.match(name)]
    missing = [name for name in COLUMNS if name not in header] + ([] if counts else ["NBFLUX_Caa_ACTOCC15P"])
    if missing:
        raise ImportRejected(
            f"Colonne(s) absente(s) : {', '.join(missing)}. Colonnes lues : {', '.join(header)}."
        )
    return counts[0], 2000 + int(COUNT.match(counts[0])[1])


def parse_number(raw):
    value = float(raw.strip().replace(",", "."))
    if not 0 <= value < 1e8:
        raise ValueError
    return value


def read(stream, progress=lambda done, total: None):
    """(flows keyed by (commune id, workplace code), millésime, summary), or ImportRejected."""
    table = CsvTable(stream, normalise=str.upper)
    header = table.header
    flow_column, millesime = count_column(header)
    index = {name: header.index(name) for name in [*COLUMNS, flow_column]}
    codes = official_codes()
    communes = {pk: (insee, nom) for pk, insee, nom in Commune.objects.values_list("pk", "insee", "nom")}
    flows, errors, summary = {}, ErrorList(), Summary()
    with contextlib.suppress(TooManyErrors):
        for line, row in table:
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                progress(summary.read, 0)
            home, work = row[index["CODGEO"]].strip(), row[index["DCLT"]].strip()
            for column, code in (("CODGEO", home), ("DCLT", work)):
                if not CODE.match(code):
                    errors.add(line, column, f"code commune invalide « {code} ».")
            try:
                count = parse_number(row[index[flow_column]])
            except ValueError:
                errors.add(line, flow_column, f"nombre invalide « {row[index[flow_column]]} ».")
                continue
            if not CODE.match(home) or not CODE.match(work):
                continue
            if home not in codes:
                summary.skipped_outside += 1
                continue
            label, work_id = row[index["L_DCLT"]].strip(), codes.get(work)
            if work_id is not None:  # an arrondissement becomes its commune
                work, label = communes[work_id]
            key = (codes[home], work)
            if key in flows:
                flows[key]["actifs"] += count
            else:
                flows[key] = {"actifs": count, "libelle": label[:200], "commune": work_id}
    errors.raise_if_any()
    return flows, millesime, summary


def write(flows, millesime, summary, dry_run=False):
    """Upsert the millésime's flows on (commune, millésime, DCLT); flows absent from the file go."""
    rows = [
        Flux(
            commune_id=home_id,
            millesime=millesime,
            code_travail=work,
            libelle_travail=flow["libelle"],
            commune_travail_id=flow["commune"],
            actifs=flow["actifs"],
        )
        for (home_id, work), flow in flows.items()
    ]
    existing = set(Flux.objects.filter(millesime=millesime).values_list("commune_id", "code_travail"))
    summary.updated = sum(key in existing for key in flows)
    summary.inserted = len(rows) - summary.updated
    summary.details = {"millesime": millesime}
    if dry_run:
        return summary
    with transaction.atomic():
        Flux.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["commune", "millesime", "code_travail"],
            update_fields=["libelle_travail", "commune_travail", "actifs"],
            batch_size=5000,
        )
        stale = existing - set(flows)
        if stale:
            pks = [
                pk
                for pk, home, work in Flux.objects.filter(millesime=millesime).values_list(
                    "pk", "commune_id", "code_travail"
                )
                if (home, work) in stale
            ]
            Flux.objects.filter(pk__in=pks).delete()
        summary.details["flux_retires"] = len(stale)
    return summary
