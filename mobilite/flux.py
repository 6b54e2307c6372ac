"""INSEE "mobilités professionnelles": flows of employed people from home to work commune.

Two layouts are published. The « base flux de mobilité domicile-lieu de travail »:
``CODGEO;LIBGEO;DCLT;L_DCLT;NBFLUX_C22_ACTOCC15P``, one row per pair of places, the last column
naming the census (C22 → millésime 2022). The detail file ``FD_MOBPRO_2022.csv`` (zipped with
its ``varmod_`` dictionary): one row per person, ``COMMUNE`` (``ARM`` for the arrondissement),
``DCLT`` and the weight ``IPONDI``, added up per pair; its millésime is in its name only.
Marseille is published by arrondissement (13201…13216) on both ends: flows are added up on the
commune (13055). Rows whose residence is outside the
territory are skipped and counted; a workplace outside it is kept with its official code.
"""

import contextlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.db import transaction

from observatoire.imports import files
from observatoire.imports.base import ErrorList, ImportRejected, Summary, TooManyErrors
from observatoire.imports.cells import insee_code
from observatoire.imports.recognise import missing_columns
from observatoire.territoires import data_france
from observatoire.territoires.models import Commune
from observatoire.territoires.services import official_codes

from .models import Flux

COLUMNS = ["CODGEO", "LIBGEO", "DCLT", "L_DCLT"]
COUNT = re.compile(r"^NBFLUX_C(\d{2})_ACTOCC15P$")
DETAIL = ["COMMUNE", "DCLT", "IPONDI"]
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
PROGRESS_EVERY = 50_000


@dataclass
class Layout:
    """Where one layout keeps the residence, the workplace, its label and the count."""

    home: str
    work: str
    count: str
    millesime: int
    label: str | None = None


def count_column(header):
    """The base's flow column and its millésime, or None."""
    counts = [name for name in header if COUNT.match(name)]
    return (counts[0], 2000 + int(COUNT.match(counts[0])[1])) if counts else None


def layout_of(header, file_name):
    """The « base flux » layout, or the detail file's (one row per person, weight IPONDI)."""
    if all(name in header for name in DETAIL):
        year = YEAR.findall(PurePath(file_name or "").name)
        if not year:
            raise ImportRejected(
                "Fichier détail MOBPRO : son millésime n'est écrit que dans son nom (FD_MOBPRO_2021.csv) et "
                f"le nom « {file_name} » n'en porte pas. Importez-le sous le nom publié par l'Insee."
            )
        return Layout("COMMUNE", "DCLT", "IPONDI", int(year[-1]))
    found = count_column(header)
    missing = [name for name in COLUMNS if name not in header] + ([] if found else ["NBFLUX_Caa_ACTOCC15P"])
    if missing:
        raise missing_columns(
            header, missing, "import_mobilites_professionnelles",
            "Attendu : la base flux de mobilité domicile-travail, ou le fichier détail MOBPRO "
            "(COMMUNE, DCLT et IPONDI).",
        )  # fmt: skip
    return Layout("CODGEO", "DCLT", found[0], found[1], label="L_DCLT")


def parse_number(raw):
    value = float(raw.strip().replace(",", "."))
    if not 0 <= value < 1e8:
        raise ValueError
    return value


def read(stream, progress=lambda done, total: None):
    """(flows keyed by (commune id, workplace code), millésime, summary), or ImportRejected."""
    table = files.read_table(stream, normalise=str.upper)
    header = table.header
    layout = layout_of(header, getattr(stream, "name_in_archive", None) or getattr(stream, "name", ""))
    home_i, work_i, count_i = (header.index(name) for name in (layout.home, layout.work, layout.count))
    label_i = header.index(layout.label) if layout.label else None
    codes = official_codes()
    communes = {pk: (insee, nom) for pk, insee, nom in Commune.objects.values_list("pk", "insee", "nom")}
    flows, errors, summary = {}, ErrorList(), Summary()
    with contextlib.suppress(TooManyErrors):
        for line, row in table:
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                progress(summary.read, 0)
            home, work = insee_code(row[home_i]), insee_code(row[work_i])
            for column, i, code in ((layout.home, home_i, home), (layout.work, work_i, work)):
                if code is None:
                    errors.add(line, column, f"code commune invalide « {row[i].strip()} ».")
            try:
                count = parse_number(row[count_i])
            except ValueError:
                errors.add(line, layout.count, f"nombre invalide « {row[count_i]} ».")
                continue
            if home is None or work is None:
                continue
            if home not in codes:
                summary.note_outside(home)
                continue
            label, work_id = (row[label_i].strip() if label_i is not None else ""), codes.get(work)
            if work_id is not None:  # an arrondissement becomes its commune
                work, label = communes[work_id]
            key = (codes[home], work)
            if key in flows:
                flows[key]["actifs"] += count
            else:
                flows[key] = {"actifs": count, "libelle": label[:200], "commune": work_id}
    errors.raise_if_any()
    _name_workplaces(flows)
    return flows, layout.millesime, summary


def _name_workplaces(flows):
    """The detail file has no labels: workplaces outside the territory are named from the national list."""
    unnamed = {work for (_, work), flow in flows.items() if not flow["libelle"]}
    if not unnamed:
        return
    names = data_france.commune_names(unnamed)
    for (_, work), flow in flows.items():
        if not flow["libelle"]:
            flow["libelle"] = names.get(work, "Étranger" if work.startswith("99") else work)[:200]


def write(flows, millesime, summary):
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
