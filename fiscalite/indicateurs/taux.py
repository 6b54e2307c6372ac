"""Voted rates, bases and yields of the local direct taxes (REI, DGFiP), per commune and for the EPCI.

A cell the DGFiP left empty under statistical secrecy is stored as None: it is never read as zero,
and a sum that needs it is unknown rather than too small.
"""

from observatoire.imports.cells import weighted_mean
from observatoire.indicateurs.store import store

from ..enums import Element as E
from ..models import ElementImposition
from .store import ensure, grouped, per_head, territory

SOURCE = "DGFiP, fichier de recensement des éléments d'imposition (REI)"
RUBRIQUE = "taux-et-bases"
POPULATION = (
    "Population : population municipale du dernier recensement connue du portail (Commune.population), "
    "la même pour toutes les années."
)
SECRECY = "Une cellule couverte par le secret statistique (vide dans le REI) n'est jamais comptée comme zéro."

# (code, libellé, rate, base weighting the metropolis' mean, definition)
RATES = [
    ("taux-tfb-commune", "Taux de taxe foncière sur les propriétés bâties (commune)", E.TFB_TAUX_COMMUNE,
     E.TFB_BASE_COMMUNE, "Taux de TFB voté par le conseil municipal (part communale)."),
    ("taux-tfb-groupement", "Taux de taxe foncière sur les propriétés bâties (groupement)", E.TFB_TAUX_EPCI,
     E.TFB_BASE_COMMUNE, "Taux de TFB voté par la métropole et appliqué aux bases de la commune."),
    ("taux-tfnb", "Taux de taxe foncière sur les propriétés non bâties (commune)", E.TFNB_TAUX_COMMUNE,
     E.TFNB_BASE_COMMUNE, "Taux de TFNB voté par le conseil municipal."),
    ("taux-teom", "Taux de taxe d'enlèvement des ordures ménagères", E.TEOM_TAUX, E.TEOM_BASE,
     "Taux de TEOM applicable aux propriétés de la commune (zone de perception)."),
    ("taux-cfe-groupement", "Taux de cotisation foncière des entreprises (groupement)", E.CFE_TAUX_EPCI,
     E.CFE_BASE_EPCI, "Taux de CFE voté par la métropole (fiscalité professionnelle unique)."),
]  # fmt: skip

# Yields summed in the fiscal yield; the TH is the TH of all dwellings until 2022, then only the THRS.
PRODUITS = [
    E.TFB_PRODUIT_COMMUNE,
    E.TFB_PRODUIT_EPCI,
    E.TFNB_PRODUIT_COMMUNE,
    E.TEOM_PRODUIT,
    E.CFE_PRODUIT_COMMUNE,
    E.CFE_PRODUIT_EPCI,
]


def elements():
    """{(commune id, year): {element: value or None when secret}}."""
    rows = {}
    for cid, year, element, valeur in ElementImposition.objects.values_list(
        "commune_id", "annee", "element", "valeur"
    ):
        rows.setdefault((cid, year), {})[element] = valeur
    return rows


def produit_total(values):
    """Sum of the yields present; None if one of them is secret or none is present."""
    names = [p for p in PRODUITS if p in values]
    th = E.TH_PRODUIT_COMMUNE if E.TH_PRODUIT_COMMUNE in values else E.THRS_PRODUIT_COMMUNE
    if th in values:
        names.append(th)
    if not names or any(values[name] is None for name in names):
        return None
    return sum(values[name] for name in names)


def ratio_of_sums(pairs):
    """Σ amount / Σ population over the communes where both are known."""
    known = [(a, p) for a, p in pairs if a is not None and p]
    return per_head(sum(a for a, _ in known), sum(p for _, p in known)) if known else None


def recompute():
    rows = elements()
    epci_of, population = territory()
    rows = {key: values for key, values in rows.items() if key[0] in epci_of}
    count = 0
    for code, libelle, rate, base, definition in RATES:
        indicateur = ensure(
            code,
            rubrique=RUBRIQUE,
            libelle=libelle,
            unite="%",
            definition=definition,
            methode=f"Taux voté de l'année d'imposition. Métropole : moyenne des taux des communes pondérée "
            f"par leur base nette ({base.label}). {SECRECY}",
            source=SOURCE,
        )
        by_commune = {key: values.get(rate) for key, values in rows.items()}
        pairs = {key: (values.get(rate), values.get(base)) for key, values in rows.items()}
        by_epci = {key: weighted_mean(group) for key, group in grouped(pairs, epci_of).items()}
        count += store(indicateur, by_commune, by_epci)

    per_inhabitant = [
        ("base-tfb-par-habitant", "Base nette de TFB par habitant",
         "Base nette d'imposition à la taxe foncière sur les propriétés bâties de la commune, par habitant.",
         "base nette communale de TFB / population", lambda v: v.get(E.TFB_BASE_COMMUNE)),
        ("produit-fiscal-par-habitant", "Produit de la fiscalité directe locale par habitant",
         "Produits de TFB (commune et groupement), TFNB, TEOM, CFE et taxe d'habitation perçus sur la "
         "commune, par habitant.",
         "somme des produits / population ; taxe d'habitation jusqu'en 2022, puis taxe d'habitation sur les "
         "résidences secondaires ; inconnu si un des produits est sous secret", produit_total),
        ("produit-thrs-par-habitant",
         "Produit de la taxe d'habitation sur les résidences secondaires par habitant",
         "Produit communal de la taxe d'habitation sur les résidences secondaires et autres locaux meublés "
         "non affectés à l'habitation principale (THRS), par habitant.",
         "produit communal de THRS / population", lambda v: v.get(E.THRS_PRODUIT_COMMUNE)),
    ]  # fmt: skip
    for code, libelle, definition, formula, amount in per_inhabitant:
        indicateur = ensure(
            code,
            rubrique=RUBRIQUE,
            libelle=libelle,
            unite="€/hab.",
            definition=definition,
            methode=f"{formula[0].upper()}{formula[1:]}. Métropole : somme des montants des communes "
            f"connues / somme de leur population. {POPULATION} {SECRECY}",
            source=SOURCE,
        )
        pairs = {(cid, year): (amount(values), population.get(cid)) for (cid, year), values in rows.items()}
        by_commune = {key: per_head(a, p) for key, (a, p) in pairs.items()}
        by_epci = {key: ratio_of_sums(group) for key, group in grouped(pairs, epci_of).items()}
        count += store(indicateur, by_commune, by_epci)
    return count
