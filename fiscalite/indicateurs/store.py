"""Writing the fiscalité indicators: one row per commune and per EPCI and year, idempotent.

A value this computation no longer produces is deleted (a corrected file must not leave
yesterday's figure on the map); None is never stored (secret or undefined is not zero).
"""

from observatoire.indicateurs.models import Indicateur, Niveau, Valeur
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


def write(indicateur, by_commune, by_epci):
    """Replace the values of ``indicateur`` by ``{(commune, year): v}`` and ``{(epci, year): v}``."""
    fresh = [
        Valeur(indicateur=indicateur, millesime=year, valeur=value, **{field: pk})
        for field, values in (("commune_id", by_commune), ("epci_id", by_epci))
        for (pk, year), value in values.items()
        if value is not None
    ]
    Valeur.objects.upsert(fresh)
    wanted = {(v.commune_id, v.epci_id, v.millesime) for v in fresh}
    existing = Valeur.objects.filter(indicateur=indicateur, zone__isnull=True)
    gone = [
        pk
        for pk, *key in existing.values_list("pk", "commune_id", "epci_id", "millesime")
        if tuple(key) not in wanted
    ]
    Valeur.objects.filter(pk__in=gone).delete()
    Indicateur.objects.filter(pk=indicateur.pk).refresh_dernier_millesime()
    return len(fresh)


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
