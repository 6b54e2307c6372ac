"""Writing an indicator's values per commune and per EPCI: idempotent and without stale leftovers.

Every thematic app's indicators go through ``store`` (habitat, fiscalité, environnement): a value
the computation no longer produces is deleted, and None is never stored (secret or undefined is
not zero).
"""

from observatoire.territoires.models import Commune

from .models import Indicateur, Valeur


def epci_of_communes():
    """{commune id: EPCI id} for the communes of the territory."""
    return dict(Commune.objects.filter(epci__isnull=False).values_list("id", "epci_id"))


def store(indicateur, communes, epcis=None):
    """Upsert ``{(commune id, millésime): value}`` and ``{(epci id, millésime): value}``.

    None values are left out, and values this computation no longer produces are deleted: a
    corrected file must not leave yesterday's figure on the map.
    """
    valeurs = [
        Valeur(indicateur=indicateur, commune_id=cid, millesime=year, valeur=value)
        for (cid, year), value in communes.items()
        if value is not None
    ] + [
        Valeur(indicateur=indicateur, epci_id=eid, millesime=year, valeur=value)
        for (eid, year), value in (epcis or {}).items()
        if value is not None
    ]
    Valeur.objects.upsert(valeurs)
    kept = {(v.commune_id, v.epci_id, v.millesime) for v in valeurs}
    stale = [
        pk
        for pk, cid, eid, year in Valeur.objects.filter(indicateur=indicateur, zone__isnull=True).values_list(
            "pk", "commune_id", "epci_id", "millesime"
        )
        if (cid, eid, year) not in kept
    ]
    Valeur.objects.filter(pk__in=stale).delete()
    Indicateur.objects.filter(pk=indicateur.pk).refresh_dernier_millesime()
    return len(valeurs)


def ratio(numerator, denominator, scale=100):
    return None if numerator is None or not denominator else numerator / denominator * scale


def sum_by_epci(values, epci_of):
    """{(commune, year): value} → {(epci, year): sum of the known values}."""
    sums = {}
    for (cid, year), value in values.items():
        if value is not None and cid in epci_of:
            key = (epci_of[cid], year)
            sums[key] = sums.get(key, 0) + value
    return sums
