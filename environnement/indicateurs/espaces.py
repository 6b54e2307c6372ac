"""Protected and inventoried natural areas: share of each commune covered (overlaps merged).

« Tous espaces » is read from ``CouvertureCommune`` (type empty: every layer merged, computed in
PostGIS at import by ``environnement.couverture``). Natura 2000 (SIC ∪ ZPS) and ZNIEFF (type I ∪
type II) each merge two layers that overlap widely, so their shares come from the same computation,
``couverture.coverage``, grouped by these two keys (union of the areas clipped to the commune, in
Lambert-93) — never added up. Millésime: the group's (the most recent of the merged layers).
"""

from collections import defaultdict

from django.db import connection

from observatoire.indicateurs.store import epci_of_communes, store

from ..couverture import coverage
from ..enums import TypeEspace
from ..models import CouvertureCommune
from .base import ensure

SOURCE = "INPN (PatriNat, OFB-CNRS-MNHN) : ZNIEFF, sites Natura 2000, parcs et réserves"
GROUPES = {
    "part-natura2000": ("Part de la commune en site Natura 2000",
                        (TypeEspace.NATURA_SIC, TypeEspace.NATURA_ZPS),
                        "sites Natura 2000 (directive Habitats et directive Oiseaux) fusionnés"),
    "part-znieff": ("Part de la commune en ZNIEFF", (TypeEspace.ZNIEFF1, TypeEspace.ZNIEFF2),
                    "ZNIEFF de type I et de type II fusionnées"),
}  # fmt: skip
METHODE = (
    "Surface de la commune couverte par les {what}, les zones qui se chevauchent comptées une fois "
    "(union PostGIS en Lambert-93), rapportée à la surface de la commune ; pour l'EPCI, surfaces "
    "couvertes et surfaces des communes additionnées."
)


def commune_hectares():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, ST_Area(geom) / 10000 FROM territoires_commune WHERE epci_id IS NOT NULL")
        return dict(cursor.fetchall())


def covered_hectares(groups):
    """{group key: {(commune id, millésime): hectares}} covered by the union of the areas of its types."""
    hectares = defaultdict(dict)
    for cid, key, year, ha, _ in coverage(groups):
        hectares[key][(cid, year)] = ha
    return hectares


def _shares(hectares, areas, epci_of):
    """Commune and EPCI shares (%), communes without any area at 0 for the layer's millésime."""
    years = {year for _, year in hectares}
    if not years:
        return {}, {}
    year = max(years)
    hectares = {(cid, year): 0.0 for cid in areas} | {
        (cid, year): ha for (cid, y), ha in hectares.items() if y == year
    }
    communes = {
        key: min(100.0, 100 * ha / areas[key[0]]) for key, ha in hectares.items() if areas.get(key[0])
    }
    covered, total = defaultdict(float), defaultdict(float)
    for (cid, y), ha in hectares.items():
        if cid in epci_of and areas.get(cid):
            covered[(epci_of[cid], y)] += ha
            total[(epci_of[cid], y)] += areas[cid]
    return communes, {key: 100 * ha / total[key] for key, ha in covered.items() if total[key]}


def recompute():
    areas, epci_of = commune_hectares(), epci_of_communes()
    indicateur = ensure(
        "part-espaces-naturels",
        rubrique="espaces-naturels",
        libelle="Part de la commune en espace naturel protégé ou inventorié",
        unite="%",
        definition="Part de la surface de la commune couverte par au moins un espace naturel protégé ou "
        "inventorié (ZNIEFF, Natura 2000, parc, réserve).",
        methode=METHODE.format(what="espaces de toutes les couches"),
        source=SOURCE,
    )
    rows = CouvertureCommune.objects.filter(type="").values_list("commune_id", "millesime", "surface_ha")
    tous = {(cid, year): ha for cid, year, ha in rows}
    count = store(indicateur, *_shares(tous, areas, epci_of))
    groupes = covered_hectares({code: types for code, (_, types, _) in GROUPES.items()})
    for code, (libelle, _, what) in GROUPES.items():
        indicateur = ensure(
            code,
            rubrique="espaces-naturels",
            libelle=libelle,
            unite="%",
            definition=f"Part de la surface de la commune couverte par les {what}.",
            methode=METHODE.format(what=what),
            source=SOURCE,
        )
        count += store(indicateur, *_shares(groupes[code], areas, epci_of))
    return count
