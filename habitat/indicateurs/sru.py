"""An estimate of the SRU rate and deficit from RPLS and the census' résidences principales.

The official SRU inventory (« inventaire SRU ») also counts places in foyers and residences,
private dwellings under convention, PLS-accession… and is notified by the State each year; what
we compute from RPLS understates it. The method text says so.
"""

import math
from bisect import bisect_right

from observatoire.indicateurs.store import epci_of_communes, ratio, store, sum_by_epci
from observatoire.territoires.models import Commune

from ..models import LogementRecensement, ParcSocial
from .store import ensure

TARGET = 0.25
POPULATION_THRESHOLD = 3500
SOURCE = "SDES (RPLS) et INSEE (recensement, résidences principales) ; estimation de l'observatoire"
ESTIMATE = (
    "Estimation : le taux légal de l'inventaire SRU compte aussi les logements-foyers, les logements "
    "privés conventionnés, etc. ; il est notifié chaque année par l'État et peut être plus élevé. "
    "Résidences principales du dernier recensement dont le millésime ne dépasse pas celui du RPLS."
)


def residences_principales():
    """{commune id: (sorted millésimes, matching RP)} for the communes with a census count."""
    by_commune = {}
    rows = LogementRecensement.objects.filter(residences_principales__gt=0).order_by("millesime")
    for cid, year, rp in rows.values_list("commune_id", "millesime", "residences_principales"):
        years, values = by_commune.setdefault(cid, ([], []))
        years.append(year)
        values.append(rp)
    return by_commune


def rp_for(census, commune_id, year):
    """The RP of the latest census millésime ≤ year, or None."""
    years, values = census.get(commune_id, ([], []))
    index = bisect_right(years, year)
    return values[index - 1] if index else None


def deficit(nb_ls, rp):
    return max(0, math.ceil(TARGET * rp) - nb_ls)


def recompute():
    census = residences_principales()
    population = dict(Commune.objects.values_list("id", "population"))
    social, rps = {}, {}
    for cid, year, nb_ls in ParcSocial.objects.values_list("commune_id", "millesime", "nb_ls"):
        rp = rp_for(census, cid, year)
        if rp:
            social[(cid, year)], rps[(cid, year)] = nb_ls, rp
    epci_of = epci_of_communes()
    epci_social, epci_rp = sum_by_epci(social, epci_of), sum_by_epci(rps, epci_of)
    rate = ensure(
        "taux-sru",
        rubrique="parc-existant",
        libelle="Taux de logements sociaux (estimation SRU)",
        unite="%",
        definition="Logements sociaux rapportés aux résidences principales, à comparer à l'objectif légal "
        "de 25 % de la loi SRU.",
        methode=f"nb_ls (RPLS au 1er janvier) / résidences principales (INSEE) × 100. {ESTIMATE}",
        source=SOURCE,
    )
    count = store(
        rate,
        {k: ratio(social[k], rps[k]) for k in social},
        {k: ratio(epci_social[k], epci_rp[k]) for k in epci_social},
    )
    gap = ensure(
        "deficit-sru",
        rubrique="parc-existant",
        libelle="Déficit de logements sociaux (estimation SRU)",
        unite="logements",
        definition="Logements sociaux manquants pour atteindre 25 % des résidences principales, pour les "
        f"communes de {POPULATION_THRESHOLD} habitants ou plus.",
        methode=f"max(0, arrondi supérieur de 25 % × résidences principales − nb_ls). Métropole : somme des "
        f"déficits communaux. {ESTIMATE}",
        source=SOURCE,
    )
    deficits = {
        k: deficit(social[k], rps[k]) for k in social if population.get(k[0], 0) >= POPULATION_THRESHOLD
    }
    return count + store(gap, deficits, sum_by_epci(deficits, epci_of))
