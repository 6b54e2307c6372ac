"""Declaring a fiscalité indicator, and the territory and per-head helpers its computations share.

Values are written by ``observatoire.indicateurs.store.store``.
"""

from observatoire.indicateurs.models import Indicateur, Niveau
from observatoire.territoires.models import Commune

OBSERVATOIRE = "fiscalite"
BOTH = [Niveau.COMMUNE, Niveau.EPCI]


def ensure(code, *, rubrique, niveaux=BOTH, **fields):
    return Indicateur.objects.ensure(
        code, observatoire=OBSERVATOIRE, rubrique=rubrique, niveaux=list(niveaux), **fields
    )


def territory():
    """({commune id: EPCI id}, {commune id: population}) of the communes of the territory."""
    rows = Commune.objects.filter(epci__isnull=False).values_list("id", "epci_id", "population")
    epci_of, population = {}, {}
    for cid, eid, pop in rows:
        epci_of[cid], population[cid] = eid, pop
    return epci_of, population


def per_head(amount, population):
    """Amount per inhabitant; None when either is unknown or the population is zero."""
    return None if amount is None or not population else amount / population


def grouped(by_commune, epci_of):
    """{(commune, year): x} → {(epci, year): [x of each commune of the EPCI]}."""
    groups = {}
    for (cid, year), value in by_commune.items():
        if cid in epci_of:
            groups.setdefault((epci_of[cid], year), []).append(value)
    return groups
