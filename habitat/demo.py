"""Demo: files in the official formats (Sitadel, INSEE base-cc-logement, RPLS, QPV contours) and
the metropolis' PLH objectives, generated for the real communes and loaded through the importers,
as a user with the real files would."""

import random

from django.conf import settings

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Commune, Zone

from . import demo_parc, demo_qpv
from .indicateurs import recompute
from .models import ConstructionAnnuelle
from .sitadel import COLUMNS, import_file

YEARS = range(2014, 2025)
TYPES = [
    ("Individuel pur", 0.25, 110),
    ("Individuel groupé", 0.12, 95),
    ("Collectif", 0.58, 62),
    ("En résidence", 0.05, 40),
]


def _units(rng, population, year, share):
    """Dwellings authorised: about 6 per 1 000 inhabitants a year, with a cycle and noise."""
    trend = 1 + 0.15 * ((year - 2014) % 5 - 2) / 2
    return max(0, round(population * 0.006 * share * trend * rng.uniform(0.6, 1.4)))


def write_demo_file(path, seed=2026):
    rng = random.Random(seed)
    lines = [";".join(COLUMNS)]
    places = [
        (c.insee, c.population) for c in Commune.objects.filter(epci__isnull=False).exclude(insee="13055")
    ]
    # Marseille is published by arrondissement municipal, as in the real files.
    places += list(
        Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, commune__insee="13055").values_list(
            "code", "population"
        )
    )
    places += [("83137", 60_000)]  # a Var commune: the national file covers other départements
    for code, population in places:
        for year in YEARS:
            for label, share, surface in TYPES:
                authorised = _units(rng, population or 0, year, share)
                started = round(authorised * rng.uniform(0.6, 0.95))
                lines.append(
                    f"{year};{code};{label};{authorised};{started};{authorised * surface};{started * surface}"
                )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_demo_habitat():
    """Idempotent: each file is generated and imported once; returns the Sitadel rows imported."""
    folder = settings.BASE_DIR / "var" / "demo"
    inserted = 0
    if not ConstructionAnnuelle.objects.exists():
        path = write_demo_file(folder / "sitadel_communes.csv")
        with path.open(encoding="utf-8", newline="") as stream:
            inserted = import_file(stream).inserted
    loaded = demo_qpv.load(folder) + demo_parc.load(folder)
    if inserted or loaded:
        recompute()
    return inserted
