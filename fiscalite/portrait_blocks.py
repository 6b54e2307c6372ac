"""« Fiche financière » in each commune's portrait: the last year's key figures of its taxation and
finances against the metropolis, and five years of them in a small table.

It reads the fiscalité indicators this person may see (all public unless restricted in the admin)
and shows nothing for a commune without any of them.
"""

import statistics

from observatoire.indicateurs.models import Indicateur, Valeur
from observatoire.indicateurs.portrait_blocks import PortraitBlock, register

# (indicator, what its reference is): « mediane » of the communes, « metropole » the EPCI's value,
# or the indicator giving the gap to the demographic stratum.
CHIFFRES = [
    ("taux-tfb-commune", "mediane"),
    ("taux-tfb-groupement", "mediane"),
    ("taux-tfnb", "mediane"),
    ("taux-teom", "mediane"),
    ("produit-fiscal-par-habitant", "metropole"),
    ("depenses-fonctionnement-par-habitant", "metropole"),
    ("epargne-brute-par-habitant", "metropole"),
    ("encours-dette-par-habitant", "metropole"),
    ("capacite-desendettement", "metropole"),
    ("potentiel-financier-par-habitant", "ecart-potentiel-financier-strate"),
]
CODES = [code for code, _ in CHIFFRES]
ECART = "ecart-potentiel-financier-strate"
YEARS = 5


def _values(indicateurs, commune):
    """({(code, year): commune's value}, {(code, year): EPCI value}, {(code, year): [communes' values]})."""
    own, epci, communes = {}, {}, {}
    rows = Valeur.objects.filter(indicateur__in=indicateurs, zone__isnull=True)
    for code, cid, year, valeur in (
        rows.filter(commune=commune) | rows.filter(epci=commune.epci_id)
    ).values_list("indicateur__code", "commune_id", "millesime", "valeur"):
        (own if cid else epci)[(code, year)] = valeur
    rates = [i for i in indicateurs if dict(CHIFFRES).get(i.code) == "mediane"]
    years = {year for (_, year) in own}
    for code, year, valeur in Valeur.objects.filter(
        indicateur__in=rates, commune__epci=commune.epci_id, millesime__in=years, valeur__isnull=False
    ).values_list("indicateur__code", "millesime", "valeur"):
        communes.setdefault((code, year), []).append(valeur)
    return own, epci, communes


def _years(own, code):
    """The commune's years of ``code``; for the debt capacity, also those where it is undefined."""
    years = {year for c, year in own if c == code}
    if code == "capacite-desendettement":
        epargne = {year for c, year in own if c == "epargne-brute-par-habitant"}
        years |= {year for year in epargne if own[("epargne-brute-par-habitant", year)] <= 0}
    return sorted(years)


def fiche(commune, user):
    if commune.epci_id is None:
        return None
    indicateurs = {i.code: i for i in Indicateur.objects.visible_to(user).filter(code__in=[*CODES, ECART])}
    if not indicateurs:
        return None
    own, epci, communes = _values(list(indicateurs.values()), commune)
    if not own:
        return None
    chiffres = []
    for code, reference in CHIFFRES:
        indicateur = indicateurs.get(code)
        years = _years(own, code)
        if indicateur is None or not years:
            continue
        year = years[-1]
        ligne = {"indicateur": indicateur, "annee": year, "valeur": own.get((code, year)), "reference": None}
        if reference == "mediane" and communes.get((code, year)):
            ligne["reference"] = statistics.median(communes[(code, year)])
            ligne["reference_libelle"] = "médiane des communes"
        elif reference == "metropole":
            ligne["reference"] = epci.get((code, year))
            ligne["reference_libelle"] = "ensemble des communes de la métropole"
        elif reference in indicateurs and (reference, year) in own:
            ligne["ecart"] = own[(reference, year)]
            ligne["reference_libelle"] = "écart à la moyenne de la strate"
        chiffres.append(ligne)
    annees = sorted({year for (_, year) in own})[-YEARS:]
    historique = [
        {"indicateur": indicateurs[code], "valeurs": [own.get((code, year)) for year in annees]}
        for code in CODES
        if code in indicateurs and any((code, year) in own for year in annees)
    ]
    sources = sorted({ligne["indicateur"].source for ligne in chiffres})
    return {"chiffres": chiffres, "annees": annees, "historique": historique, "sources": sources}


register(
    PortraitBlock(
        slug="fiche-financiere",
        titre="Fiche financière",
        template="fiscalite/portrait_fiche_financiere.html",
        context=fiche,
        ordre=20,
    )
)
