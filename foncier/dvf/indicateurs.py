"""Market indicators from the DVF mutations, computed in PostgreSQL (median = percentile_cont(0.5)).

Per commune, for the EPCI, per Marseille arrondissement and per QPV (mutations whose point lies in
the zone). Only sales count (Vente, VEFA, Vente terrain à bâtir): exchanges, auctions and
expropriations have no market price. A median from fewer than ``SECRET`` sales is not published
(stored empty): with so few sales a price would point at a household.
"""

from django.db import connection, transaction

from observatoire.core.formats import de
from observatoire.indicateurs.models import Indicateur, Niveau, Valeur
from observatoire.territoires.enums import ZoneType
from observatoire.territoires.models import Commune, Zone

from ..models import Mutation, TypeMutation
from .columns import NATURES_VENTE

SECRET = 5
SOURCE = "DGFiP, Demandes de valeurs foncières géolocalisées (Etalab)"
SALES = (
    "Ventes (y compris en l'état futur d'achèvement et de terrains à bâtir) ; "
    "échanges, adjudications et expropriations exclus."
)
PRIVACY = f"Médiane non diffusée (vide) quand elle repose sur moins de {SECRET} ventes (secret statistique)."
BUILT = "surface réelle bâtie"
# Apartments and houses belong to the habitat observatory's « Marchés immobiliers », as on the
# metropolis' own habitat site (its sections end with « Marchés immobiliers »); the foncier
# observatory's « Marchés fonciers » holds the land market (terrains à bâtir). Kept so on purpose.
# code → (type of mutation, surface column, its name, what is sold, observatoire, rubrique)
MARKETS = {
    "appartements": (TypeMutation.APPARTEMENT, "surface_appartements", BUILT, "appartements",
                     "habitat", "marches-immobiliers"),
    "maisons": (TypeMutation.MAISON, "surface_maisons", BUILT, "maisons", "habitat", "marches-immobiliers"),
    "terrains-a-batir": (TypeMutation.TERRAIN_A_BATIR, "surface_terrain", "surface de terrain",
                         "terrains à bâtir", "foncier", "marches-fonciers"),
}  # fmt: skip
LEVELS = {
    "commune_id": "m.commune_id",
    "epci_id": "c.epci_id",
    "zone_id": "m.arrondissement_id",
}
STATS = """
SELECT {key} AS territoire, EXTRACT(YEAR FROM m.date_mutation)::int AS millesime,
    count(*) AS ventes,
    count(*) FILTER (WHERE m.valeur_fonciere > 0 AND m.{surface} > 0) AS prix_connus,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY m.valeur_fonciere / NULLIF(m.{surface}, 0))
        FILTER (WHERE m.valeur_fonciere > 0 AND m.{surface} > 0) AS mediane
FROM foncier_mutation m JOIN territoires_commune c ON c.id = m.commune_id {join}
WHERE m.type_mutation = %(type)s AND m.nature_mutation = ANY(%(natures)s) AND {key} IS NOT NULL
GROUP BY 1, 2
"""
QPV_JOIN = "JOIN territoires_zone z ON z.type = %(qpv)s AND ST_Intersects(z.geom, m.geom)"


def _libelle(kind):
    return f"Ventes {de(kind)}", f"Prix médian au m² des {kind}"


def ensure_indicateurs():
    for code, (type_mutation, _, surface, kind, observatoire, rubrique) in MARKETS.items():
        single = TypeMutation(type_mutation).label.lower()
        count_label, price_label = _libelle(kind)
        common = {"observatoire": observatoire, "rubrique": rubrique, "source": SOURCE,
                  "niveaux": [Niveau.COMMUNE, Niveau.EPCI, Niveau.ZONE]}  # fmt: skip
        Indicateur.objects.ensure(
            f"dvf-ventes-{code}",
            libelle=count_label,
            unite="ventes",
            definition=f"Nombre de mutations de type « {single} » enregistrées dans l'année (DVF).",
            methode=f"{SALES} Une mutation compte une fois quel que soit son nombre de lignes.",
            **common,
        )
        Indicateur.objects.ensure(
            f"dvf-prix-m2-{code}",
            libelle=price_label,
            unite="€/m²",
            definition=f"Médiane de la valeur foncière divisée par la {surface}, "
            f"pour les mutations de type « {single} » de l'année.",
            methode=f"{SALES} Médiane calculée par PostgreSQL (percentile_cont 0,5). {PRIVACY}",
            **common,
        )


def _rows(market, level):
    type_mutation, surface, *_ = MARKETS[market]
    params = {"type": type_mutation.value, "natures": NATURES_VENTE, "qpv": ZoneType.QPV.value}
    key, join = LEVELS.get(level, "z.id"), QPV_JOIN if level == "qpv" else ""
    with connection.cursor() as cursor:
        cursor.execute(STATS.format(key=key, surface=surface, join=join), params)
        return cursor.fetchall()


def _values(indicateurs, market, level, territories, years):
    """Counts (zero included) and medians (empty under the secret threshold) of one level."""
    count_indicator, price_indicator = indicateurs
    field = "zone_id" if level == "qpv" else level
    found = {(territory, year): rest for territory, year, *rest in _rows(market, level)}
    values = []
    for territory in territories:
        for year in years:
            sales, priced, median = found.get((territory, year), (0, 0, None))
            values.append(
                Valeur(indicateur=count_indicator, millesime=year, valeur=sales, **{field: territory})
            )
            published = round(median, 1) if priced >= SECRET and median is not None else None
            values.append(
                Valeur(indicateur=price_indicator, millesime=year, valeur=published, **{field: territory})
            )
    return values


@transaction.atomic
def recompute():
    """Recompute every DVF indicator from the stored mutations (idempotent upserts); returns the count."""
    ensure_indicateurs()
    with connection.cursor() as cursor:
        # Right after a load the planner still believes the table empty (autovacuum has not come
        # by): it then nests loops over a million mutations, 10 times slower than a hash join.
        cursor.execute(f"ANALYZE {Mutation._meta.db_table}")
    years = sorted({d.year for d in Mutation.objects.dates("date_mutation", "year")})
    if not years:
        return 0
    communes = Commune.objects.filter(epci__isnull=False)
    territories = {
        "commune_id": list(communes.values_list("id", flat=True)),
        "epci_id": sorted(set(communes.values_list("epci_id", flat=True))),
        "zone_id": list(_zones(ZoneType.ARRONDISSEMENT)),
        "qpv": list(_zones(ZoneType.QPV)),
    }
    count = 0
    for market in MARKETS:
        indicateurs = [Indicateur.objects.get(code=f"dvf-ventes-{market}"),
                       Indicateur.objects.get(code=f"dvf-prix-m2-{market}")]  # fmt: skip
        values = []
        for level, ids in territories.items():
            if ids:
                values += _values(indicateurs, market, level, ids, years)
        count += Valeur.objects.upsert(values)
        Indicateur.objects.filter(pk__in=[i.pk for i in indicateurs]).refresh_dernier_millesime()
    return count


def _zones(type_):
    return Zone.objects.filter(type=type_, commune__epci__isnull=False).values_list("id", flat=True)
