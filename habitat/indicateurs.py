"""Indicators computed from the imported Sitadel rows, per commune and for the EPCI."""

from django.db import transaction
from django.db.models import Sum

from observatoire.indicateurs.models import Indicateur, Niveau, Valeur

from .models import ConstructionAnnuelle

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


def ensure_indicateurs():
    for code, spec in SITADEL.items():
        Indicateur.objects.ensure(
            code,
            observatoire="habitat",
            rubrique="nouvelle-offre",
            libelle=spec["libelle"],
            unite="logements",
            definition=spec["definition"],
            methode="Somme des types de logement (individuel, groupé, collectif, résidence).",
            source="SDES, base Sitadel (logements autorisés et commencés par commune)",
            niveaux=[Niveau.COMMUNE, Niveau.EPCI],
        )


@transaction.atomic
def recompute():
    """Recompute every Sitadel indicator from the stored rows (idempotent upserts)."""
    ensure_indicateurs()
    count = 0
    for code, spec in SITADEL.items():
        indicateur = Indicateur.objects.get(code=code)
        per_commune = ConstructionAnnuelle.objects.values("commune_id", "annee").annotate(
            total=Sum(spec["field"])
        )
        per_epci = (
            ConstructionAnnuelle.objects.filter(commune__epci__isnull=False)
            .values("commune__epci_id", "annee")
            .annotate(total=Sum(spec["field"]))
        )
        values = [
            Valeur(
                indicateur=indicateur,
                commune_id=row["commune_id"],
                millesime=row["annee"],
                valeur=row["total"],
            )
            for row in per_commune
        ] + [
            Valeur(
                indicateur=indicateur,
                epci_id=row["commune__epci_id"],
                millesime=row["annee"],
                valeur=row["total"],
            )
            for row in per_epci
        ]
        count += Valeur.objects.upsert(values)
        latest = max((v.millesime for v in values), default=None)
        Indicateur.objects.filter(pk=indicateur.pk).update(dernier_millesime=latest)
    return count
