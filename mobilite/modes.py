"""INSEE census "base-cc-emploi-pop-active": employed people by main mode of transport to work.

The flows file has no mode; this one has, per commune: ``P21_ACTOCC15P`` and the
``C21_ACTOCC15P_<MODE>`` counts (prefix year-dependent, 21 → millésime 2021). The file has
hundreds of other columns, ignored. INSEE publishes it zipped
(``base-cc-emploi-pop-active-2021_csv.zip``: the ``.CSV`` beside its ``meta_`` dictionary). Before
the 2017 census the two-wheelers came in one ``_DROU`` column, without the bicycle: those
millésimes are refused with that reason. When Marseille comes both as a commune and by
arrondissement, the commune row wins; arrondissements alone are added up.
"""

import contextlib
import re

from django.db import transaction

from observatoire.imports import files
from observatoire.imports.base import ErrorList, ImportRejected, Summary, TooManyErrors
from observatoire.imports.cells import ByCommune, insee_code, territory_codes
from observatoire.imports.recognise import missing_columns, wrong_format

from .models import ModesTransport

TOTAL = re.compile(r"^P(\d{2})_ACTOCC15P$")
MODES = {
    "PAS": "pas_de_transport",
    "MAR": "marche",
    "VELO": "velo",
    "2ROUESMOT": "deux_roues_motorises",
    "VOIT": "voiture",
    "TCOM": "transports_en_commun",
}
FIELDS = ["actifs", *MODES.values()]
PROGRESS_EVERY = 5_000


def columns_for(header):
    """{field: column} for the file's census year, and the millésime; ImportRejected if incomplete."""
    totals = [name for name in header if TOTAL.match(name)]
    yy = TOTAL.match(totals[0])[1] if totals else "aa"
    wanted = {"actifs": f"P{yy}_ACTOCC15P"} | {f: f"C{yy}_ACTOCC15P_{m}" for m, f in MODES.items()}
    missing = [column for column in ["CODGEO", *wanted.values()] if column not in header]
    if not missing:
        return wanted, 2000 + int(yy)
    refusal = wrong_format(header, "import_emploi_pop_active")
    if refusal:
        raise refusal
    if f"C{yy}_ACTOCC15P_DROU" in header:
        raise ImportRejected(
            f"Ce fichier du recensement {2000 + int(yy)} compte les deux-roues ensemble "
            f"(C{yy}_ACTOCC15P_DROU) : le vélo n'y est distingué des deux-roues motorisés qu'à partir du "
            "millésime 2017 (colonnes _VELO et _2ROUESMOT). Importez un millésime 2017 ou plus récent."
        )
    raise missing_columns(header, missing, "import_emploi_pop_active")


def read(stream, progress=lambda done, total: None):
    """({commune id: {field: value}}, millésime, summary), or ImportRejected naming line and column."""
    table = files.read_table(stream, normalise=str.upper)
    header = table.header
    wanted, millesime = columns_for(header)
    index = {field: header.index(column) for field, column in wanted.items()}
    code_i = header.index("CODGEO")
    codes, own = territory_codes()
    rows, errors, summary = ByCommune(_sum), ErrorList(), Summary()
    with contextlib.suppress(TooManyErrors):
        for line, row in table:
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                progress(summary.read, 0)
            code = insee_code(row[code_i])
            if code is None:
                errors.add(line, "CODGEO", f"code commune invalide « {row[code_i].strip()} ».")
                continue
            if code not in codes:
                summary.note_outside(code)
                continue
            values = {}
            for field, i in index.items():
                raw = row[i].strip()
                try:
                    values[field] = float(raw.replace(",", ".")) if raw else 0.0
                    if values[field] < 0:
                        raise ValueError
                except ValueError:
                    errors.add(line, wanted[field], f"nombre invalide « {raw} ».")
            if len(values) < len(index):
                continue
            rows.add(codes[code], values, arrondissement=code not in own)
    errors.raise_if_any()
    return dict(rows.items()), millesime, summary


def _sum(parts):
    """Marseille's employed people from its arrondissements', mode by mode."""
    return {field: sum(part[field] for part in parts) for field in FIELDS}


def write(rows, millesime, summary):
    existing = set(ModesTransport.objects.filter(millesime=millesime).values_list("commune_id", flat=True))
    summary.updated = len(existing & set(rows))
    summary.inserted = len(rows) - summary.updated
    summary.details = {"millesime": millesime}
    with transaction.atomic():
        ModesTransport.objects.bulk_create(
            [ModesTransport(commune_id=pk, millesime=millesime, **values) for pk, values in rows.items()],
            update_conflicts=True,
            unique_fields=["commune", "millesime"],
            update_fields=FIELDS,
        )
    return summary
