"""Dwellings authorised and started (Sitadel), per commune and for the EPCI."""

from django.db.models import Sum

from observatoire.indicateurs.store import epci_of_communes, store, sum_by_epci

from ..models import ConstructionAnnuelle
from .store import ensure

SITADEL = {
    "logements-autorises": {
        "libelle": "Logements autorisés",
        "field": "logements_autorises",
        "definition": "Logements dont la construction a été autorisée dans l'année (permis de construire).",
    },
    "logements-commences": {
        "libelle": "Logements commencés",
        "field": "logements_commences",
        "definition": "Nombre de logements dont le chantier a été déclaré ouvert dans l'année.",
    },
}
SOURCE = "SDES, base Sitadel (logements autorisés et commencés par commune)"


def per_commune(field):
    """{(commune id, year): total over the kinds of dwelling}."""
    rows = ConstructionAnnuelle.objects.values("commune_id", "annee").annotate(total=Sum(field))
    return {(row["commune_id"], row["annee"]): row["total"] for row in rows}


def recompute():
    epci_of = epci_of_communes()
    count = 0
    for code, spec in SITADEL.items():
        indicateur = ensure(
            code,
            rubrique="nouvelle-offre",
            libelle=spec["libelle"],
            unite="logements",
            definition=spec["definition"],
            methode="Somme des types de logement (individuel, groupé, collectif, résidence).",
            source=SOURCE,
        )
        values = per_commune(spec["field"])
        count += store(indicateur, values, sum_by_epci(values, epci_of))
    return count
