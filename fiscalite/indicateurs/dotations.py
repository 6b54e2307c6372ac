"""Criteria of the state's grants (DGCL): potentiel financier per inhabitant, its gap to the
commune's demographic stratum, and the effort fiscal."""

from observatoire.indicateurs.models import Niveau
from observatoire.indicateurs.store import store

from ..models import CriteresDotation
from .store import ensure, grouped, per_head, territory

SOURCE = "DGCL, critères de répartition des dotations versées par l'État aux collectivités"
RUBRIQUE = "dotations"
FINAL = "À partir de 2022, potentiel financier « final » (après la réforme des indicateurs financiers)."


def gap(value, reference):
    """Relative gap in % to the stratum's mean; None when either is unknown or the mean is zero."""
    return None if value is None or not reference else (value - reference) / reference * 100


def recompute():
    epci_of, _ = territory()
    rows = {
        (c.commune_id, c.annee): c
        for c in CriteresDotation.objects.filter(commune_id__in=list(epci_of)).only(
            "commune_id", "annee", "population_dgf", "potentiel_financier",
            "potentiel_financier_par_habitant", "potentiel_financier_moyen_strate",
            "effort_fiscal",
        )
    }  # fmt: skip

    def per_inhabitant(c):
        if c.potentiel_financier_par_habitant is not None:
            return c.potentiel_financier_par_habitant
        return per_head(c.potentiel_financier, c.population_dgf)

    potentiel = ensure(
        "potentiel-financier-par-habitant",
        rubrique=RUBRIQUE,
        libelle="Potentiel financier par habitant",
        unite="€/hab.",
        definition="Richesse que la commune pourrait mobiliser (potentiel fiscal et dotation forfaitaire), "
        "par habitant DGF : l'indicateur de ressources des dotations de péréquation.",
        methode="Potentiel financier par habitant publié par la DGCL (à défaut potentiel financier / "
        f"population DGF). Métropole : somme des potentiels / somme des populations DGF. {FINAL}",
        source=SOURCE,
    )
    pairs = {key: (c.potentiel_financier, c.population_dgf) for key, c in rows.items()}
    by_epci = {}
    for key, group in grouped(pairs, epci_of).items():
        known = [(a, p) for a, p in group if a is not None and p]
        by_epci[key] = per_head(sum(a for a, _ in known), sum(p for _, p in known)) if known else None
    count = store(potentiel, {key: per_inhabitant(c) for key, c in rows.items()}, by_epci)

    ecart = ensure(
        "ecart-potentiel-financier-strate",
        rubrique=RUBRIQUE,
        niveaux=[Niveau.COMMUNE],
        libelle="Écart du potentiel financier par habitant à la moyenne de la strate",
        unite="%",
        definition="Écart relatif entre le potentiel financier par habitant de la commune et celui de sa "
        "strate démographique : négatif, la commune est moins riche que les communes de sa taille.",
        methode="(potentiel financier par habitant − moyenne de la strate) / moyenne de la strate × 100, "
        "moyenne publiée par la DGCL. Sans valeur pour la métropole (ses communes sont de strates "
        f"différentes). {FINAL}",
        source=SOURCE,
    )
    gaps = {key: gap(per_inhabitant(c), c.potentiel_financier_moyen_strate) for key, c in rows.items()}
    count += store(ecart, gaps, {})

    effort = ensure(
        "effort-fiscal",
        rubrique=RUBRIQUE,
        niveaux=[Niveau.COMMUNE],
        libelle="Effort fiscal",
        unite="coefficient",
        definition="Rapport entre les produits des impôts ménages levés par la commune et ceux qu'elle "
        "lèverait aux taux moyens nationaux : au-dessus de 1, la commune sollicite plus ses contribuables.",
        methode="Effort fiscal publié par la DGCL. Sans valeur pour la métropole (le coefficient n'est "
        "défini que par commune).",
        source=SOURCE,
    )
    return count + store(effort, {key: c.effort_fiscal for key, c in rows.items()}, {})
