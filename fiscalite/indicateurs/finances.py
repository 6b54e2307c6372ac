"""Communes' finances from the OFGL consolidated accounts: spending, savings, debt per inhabitant,
debt-repayment capacity and staff-cost share, per commune and for the communes of the EPCI together.
"""

import re

from observatoire.core.textsearch import fold_accents
from observatoire.indicateurs.store import store

from ..models import AgregatComptable
from .store import ensure, grouped, per_head, territory

SOURCE = "OFGL, comptes consolidés des communes (data.ofgl.fr)"
RUBRIQUE = "finances-communales"
POPULATION = (
    "Population : celle que l'OFGL retient pour l'exercice (colonne population du fichier), à défaut la "
    "population municipale connue du portail."
)
METROPOLE = (
    "Métropole : ensemble des communes membres (sommes des montants et des populations des communes "
    "renseignées), pas les comptes propres de la métropole."
)

# The agrégats as the OFGL names them, matched without accents, case or apostrophe variants.
AGREGATS = {
    "fonctionnement": ["Dépenses de fonctionnement", "Dépenses totales de fonctionnement"],
    "recettes": ["Recettes de fonctionnement"],
    "epargne": ["Epargne brute", "Épargne brute"],
    "dette": ["Encours de dette", "Encours de la dette", "Encours de dette au 31/12"],
    "equipement": ["Dépenses d'équipement", "Dépenses d'équipement brut"],
    "personnel": ["Frais de personnel", "Dépenses de personnel"],
}


def normalise(label):
    text = fold_accents(label or "").lower()
    return re.sub(r"\s+", " ", text.replace("\u2019", "'").replace(" '", "'").replace("' ", "'")).strip()


NAMES = {normalise(label): key for key, labels in AGREGATS.items() for label in labels}


def comptes():
    """({(commune id, year): {key: montant or None}}, {(commune id, year): OFGL population})."""
    amounts, populations = {}, {}
    rows = AgregatComptable.objects.filter(commune__isnull=False).values_list(
        "commune_id", "exercice", "agregat", "montant", "population"
    )
    for cid, year, agregat, montant, population in rows:
        key = NAMES.get(normalise(agregat))
        if key:
            amounts.setdefault((cid, year), {})[key] = montant
            if population:
                populations[(cid, year)] = population
    return amounts, populations


def capacite(dette, epargne):
    """Years of gross savings to repay the debt; undefined (None) when savings are nil or negative."""
    if dette is None or epargne is None or epargne <= 0:
        return None
    return dette / epargne


def share(part, whole):
    return None if part is None or not whole else part / whole * 100


def _sums(group, names):
    """Σ of each named amount and Σ population over the communes where all of them are known."""
    known = [(values, pop) for values, pop in group if pop and all(values.get(n) is not None for n in names)]
    if not known:
        return None
    return [sum(values[n] for values, _ in known) for n in names], sum(pop for _, pop in known)


def recompute():
    amounts, ofgl_population = comptes()
    epci_of, population = territory()
    rows = {
        key: (values, ofgl_population.get(key) or population.get(key[0]))
        for key, values in amounts.items()
        if key[0] in epci_of
    }
    groups = grouped(rows, epci_of)
    count = 0
    per_inhabitant = [
        ("depenses-fonctionnement-par-habitant", "fonctionnement", "Dépenses de fonctionnement par habitant",
         "Dépenses réelles de fonctionnement de la commune (budget principal et budgets annexes consolidés), "
         "par habitant."),
        ("epargne-brute-par-habitant", "epargne", "Épargne brute par habitant",
         "Excédent des recettes réelles de fonctionnement sur les dépenses réelles de fonctionnement, "
         "par habitant : ce que la commune dégage pour rembourser sa dette et investir."),
        ("encours-dette-par-habitant", "dette", "Encours de dette par habitant",
         "Capital restant dû des emprunts de la commune au 31 décembre, par habitant."),
        ("depenses-equipement-par-habitant", "equipement", "Dépenses d'équipement par habitant",
         "Dépenses d'équipement (investissements réalisés par la commune), par habitant."),
    ]  # fmt: skip
    for code, name, libelle, definition in per_inhabitant:
        indicateur = ensure(
            code,
            rubrique=RUBRIQUE,
            libelle=libelle,
            unite="€/hab.",
            definition=definition,
            methode=f"Agrégat OFGL « {AGREGATS[name][0]} » / population. {POPULATION} {METROPOLE}",
            source=SOURCE,
        )
        by_commune = {key: per_head(values.get(name), pop) for key, (values, pop) in rows.items()}
        by_epci = {}
        for key, group in groups.items():
            sums = _sums(group, [name])
            by_epci[key] = per_head(sums[0][0], sums[1]) if sums else None
        count += store(indicateur, by_commune, by_epci)

    ratios = [
        ("capacite-desendettement", ("dette", "epargne"), capacite, "années",
         "Capacité de désendettement", "Nombre d'années d'épargne brute qu'il faudrait pour rembourser "
         "l'encours de dette.",
         "Encours de dette / épargne brute. Non définie (aucune valeur) quand l'épargne brute est nulle ou "
         "négative : la commune ne dégage alors rien pour rembourser."),
        ("part-frais-personnel", ("personnel", "fonctionnement"), share, "%",
         "Part des frais de personnel dans les dépenses de fonctionnement",
         "Frais de personnel rapportés aux dépenses de fonctionnement.",
         "Frais de personnel / dépenses de fonctionnement × 100."),
    ]  # fmt: skip
    for code, names, formula, unite, libelle, definition, methode in ratios:
        indicateur = ensure(
            code,
            rubrique=RUBRIQUE,
            libelle=libelle,
            unite=unite,
            definition=definition,
            methode=f"{methode} Agrégats OFGL « {AGREGATS[names[0]][0]} » et « {AGREGATS[names[1]][0]} ». "
            f"{METROPOLE}",
            source=SOURCE,
        )
        by_commune = {key: formula(*(values.get(n) for n in names)) for key, (values, _) in rows.items()}
        by_epci = {}
        for key, group in groups.items():
            sums = _sums(group, list(names))
            by_epci[key] = formula(*sums[0]) if sums else None
        count += store(indicateur, by_commune, by_epci)
    return count
