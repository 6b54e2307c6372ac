"""Sitadel yearly file by commune, as published by the SDES.

Columns ``ANNEE, COMM, TYPE_LGT, LOG_AUT, LOG_COM, SDP_AUT, SDP_COM`` (``;`` or ``,`` separated).
Files cover a département or the whole country: rows of communes outside the territory are
skipped and counted, not errors. Arrondissement codes (13201…) map to their commune.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from observatoire.core.publish import publish_quietly
from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Commune, Zone

from .models import ConstructionAnnuelle
from .tasks import recompute_indicators

COLUMNS = ["ANNEE", "COMM", "TYPE_LGT", "LOG_AUT", "LOG_COM", "SDP_AUT", "SDP_COM"]
NUMBERS = {"LOG_AUT": "logements_autorises", "LOG_COM": "logements_commences",
           "SDP_AUT": "surface_autorisee", "SDP_COM": "surface_commencee"}  # fmt: skip


class SitadelError(Exception):
    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


@dataclass
class Summary:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    skipped_outside: int = 0
    years: set = field(default_factory=set)


def _codes_of_territory():
    """Official code → commune id, arrondissement codes included (one query each)."""
    codes = dict(Commune.objects.filter(epci__isnull=False).values_list("insee", "id"))
    codes.update(
        Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, commune__epci__isnull=False).values_list(
            "code", "commune_id"
        )
    )
    return codes


def read(text):
    """Validate the whole file; return (rows, summary) or raise SitadelError naming line and column."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [name.strip().upper() for name in (reader.fieldnames or [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise SitadelError(
            f"Colonne(s) absente(s) : {', '.join(missing)}. Colonnes lues : {', '.join(header)}."
        )
    reader.fieldnames = header
    codes = _codes_of_territory()
    rows, errors, summary, seen = [], [], Summary(), {}
    for line, raw in enumerate(reader, start=2):
        summary.read += 1
        code = (raw["COMM"] or "").strip().zfill(5)
        if not code.isalnum() or len(code) != 5:
            errors.append(f"ligne {line}, colonne COMM : code commune invalide « {raw['COMM']} ».")
            continue
        if code not in codes:
            summary.skipped_outside += 1
            continue
        try:
            annee = int(raw["ANNEE"])
            if not 1950 <= annee <= 2100:
                raise ValueError
        except (TypeError, ValueError):
            errors.append(f"ligne {line}, colonne ANNEE : année invalide « {raw['ANNEE']} ».")
            continue
        values = {}
        for column, attribute in NUMBERS.items():
            try:
                values[attribute] = int(float((raw[column] or "0").replace(",", ".")))
                if values[attribute] < 0:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append(f"ligne {line}, colonne {column} : nombre invalide « {raw[column]} ».")
        type_logement = (raw["TYPE_LGT"] or "").strip()
        if not type_logement:
            errors.append(f"ligne {line}, colonne TYPE_LGT : type de logement vide.")
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
        summary.years.add(annee)
    if errors:
        raise SitadelError(f"{len(errors)} erreur(s) : rien n'a été importé.", errors)
    return rows, summary


def import_file(text, dry_run=False):
    rows, summary = read(text)
    existing = set(
        ConstructionAnnuelle.objects.filter(annee__in=summary.years).values_list(
            "commune_id", "annee", "type_logement"
        )
    )
    summary.updated = sum((r.commune_id, r.annee, r.type_logement) in existing for r in rows)
    summary.inserted = len(rows) - summary.updated
    if not dry_run:
        with transaction.atomic():
            ConstructionAnnuelle.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["commune", "annee", "type_logement"],
                update_fields=[*NUMBERS.values(), "updated_at"],
                batch_size=2000,
            )
            transaction.on_commit(_schedule_recompute)
    return summary


def _schedule_recompute():
    publish_quietly(recompute_indicators)
