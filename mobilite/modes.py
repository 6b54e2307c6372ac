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
from observatoire.imports.recognise import missing_columns, wrong_format
from observatoire.territoires.models import Commune
from observatoire.territoires.services import official_codes

from .flux import CODE
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
    codes = official_codes()
    own = set(Commune.objects.filter(epci__isnull=False).values_list("insee", flat=True))
    direct, by_arrondissement, errors, summary = {}, {}, ErrorList(), Summary()
    with contextlib.suppress(TooManyErrors):
        for line, row in table:
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                progress(summary.read, 0)
            code = row[code_i].strip()
            if not CODE.match(code):
                errors.add(line, "CODGEO", f"code commune invalide « {code} ».")
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
            if code in own:
                direct[codes[code]] = values
            else:
                total = by_arrondissement.setdefault(codes[code], dict.fromkeys(FIELDS, 0.0))
                for field, value in values.items():
                    total[field] += value
    errors.raise_if_any()
    return {**by_arrondissement, **direct}, millesime, summary


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
