"""PLH production objectives by commune: the one habitat file the metropolis maintains itself.

No official publication gives them in a machine-readable form, so the format is ours::

    code_insee;commune;annee_debut;annee_fin;objectif_logements_par_an
    13001;Aix-en-Provence;2023;2028;850

One row per commune and PLH period (``;`` or ``,`` separated, UTF-8 or Windows-1252, as Excel
saves it, with or without BOM, possibly zipped); the objective may be decimal (``12,5``).
``commune`` is only there for the reader. Periods of one commune must not overlap. Unlike the
national files, a code outside the metropolis among the metropolis's communes is an error: an
unknown code is a typing mistake. A file of which no commune is in the metropolis is another
territory's PLH, refused as such, naming where it lies.
"""

import contextlib
import operator
from functools import reduce

from django.db import transaction
from django.db.models import Q

from observatoire.imports.base import ErrorList, Importer, Summary, TooManyErrors, no_progress, register
from observatoire.imports.cells import insee_code, number
from observatoire.imports.files import open_text, read_table
from observatoire.imports.recognise import missing_columns
from observatoire.territoires.services import official_codes

from .models import ObjectifPlh
from .tasks import schedule_recompute

COLUMNS = ["code_insee", "commune", "annee_debut", "annee_fin", "objectif_logements_par_an"]
FORMAT_HELP = (
    "Colonnes : code_insee;commune;annee_debut;annee_fin;objectif_logements_par_an — une ligne par "
    "commune et période du PLH, années incluses, objectif en logements par an (décimale possible)."
)


def _year(raw):
    year = int(str(raw or "").strip())
    if not 1990 <= year <= 2100:
        raise ValueError(raw)
    return year


def _row(raw, code, line, codes, errors):
    if code is None:
        errors.add(line, "code_insee", f"code commune invalide « {raw['code_insee']} ».")
        return None
    if code not in codes:
        errors.add(
            line, "code_insee", f"commune « {raw['code_insee']} » absente du territoire de la métropole."
        )
        return None
    values = {"commune_id": codes[code]}
    for column in ("annee_debut", "annee_fin"):
        try:
            values[column] = _year(raw[column])
        except ValueError:
            errors.add(line, column, f"année invalide « {raw[column]} ».")
    try:
        values["objectif_logements_par_an"] = number(raw["objectif_logements_par_an"])
        if values["objectif_logements_par_an"] is None:
            raise ValueError
    except ValueError:
        errors.add(
            line, "objectif_logements_par_an", f"nombre invalide « {raw['objectif_logements_par_an']} »."
        )
    if len(values) < 4:
        return None
    if values["annee_fin"] < values["annee_debut"]:
        errors.add(line, "annee_fin", "la période finit avant de commencer.")
        return None
    return ObjectifPlh(**values)


def read(stream):
    table = read_table(stream, normalise=str.lower)
    header = table.header
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise missing_columns(header, missing, "import_plh", FORMAT_HELP)
    codes = official_codes()
    objectifs, errors, summary, periods, outside = [], ErrorList(), Summary(), {}, []
    with contextlib.suppress(TooManyErrors):  # the errors so far are enough to reject the file
        for line, raw in table.records():
            summary.read += 1
            code = insee_code(raw["code_insee"])
            if code is not None and code not in codes:
                outside.append(code)
            objectif = _row(raw, code, line, codes, errors)
            if objectif is None:
                continue
            for other_line, other in periods.get(objectif.commune_id, []):
                if objectif.annee_debut <= other.annee_fin and other.annee_debut <= objectif.annee_fin:
                    errors.add(line, "annee_debut", f"période qui chevauche celle de la ligne {other_line}.")
                    break
            else:
                periods.setdefault(objectif.commune_id, []).append((line, objectif))
                objectifs.append(objectif)
    if outside and len(outside) == summary.read:
        # Not one commune of the metropolis: another territory's PLH, which the framework refuses
        # naming where it lies, rather than one typing error per line.
        for code in outside:
            summary.note_outside(code)
        return [], summary
    errors.raise_if_any()
    return objectifs, summary


def import_file(stream):
    objectifs, summary = read(stream)
    existing = set(ObjectifPlh.objects.values_list("commune_id", "annee_debut"))
    kept = {(o.commune_id, o.annee_debut) for o in objectifs}
    # A commune's periods are those of the file: a corrected start year replaces the old period.
    stale = [key for key in existing if key[0] in {c for c, _ in kept} and key not in kept]
    summary.updated = len(kept & existing)
    summary.inserted = len(objectifs) - summary.updated
    summary.details["periodes_remplacees"] = len(stale)
    if not objectifs:
        return summary
    with transaction.atomic():
        if stale:
            ObjectifPlh.objects.filter(
                reduce(operator.or_, (Q(commune_id=c, annee_debut=a) for c, a in stale))
            ).delete()
        ObjectifPlh.objects.bulk_create(
            objectifs,
            update_conflicts=True,
            unique_fields=["commune", "annee_debut"],
            update_fields=["annee_fin", "objectif_logements_par_an", "updated_at"],
        )
        transaction.on_commit(schedule_recompute)
    return summary


@register
class PlhImporter(Importer):
    kind = "plh"
    label = "Objectifs de production de logements du PLH par commune (fichier de la métropole)"
    extensions = (".csv", ".txt", ".zip")
    observatoire = "habitat"

    def run(self, path, *, progress=no_progress):
        with open_text(path) as stream:
            summary = import_file(stream)
        progress(summary.read, summary.read)
        return summary
