"""A commune's portrait: each visible indicator next to the metropolis, with its rank and evolution."""

from django.db.models import F, Window
from django.db.models.functions import Rank

from .models import Indicateur, Valeur


def portrait(commune, user):
    rows = []
    indicateurs = Indicateur.objects.visible_to(user).filter(dernier_millesime__isnull=False)
    for indicateur in indicateurs.select_related("observatoire"):
        year = indicateur.dernier_millesime
        ranked = (
            Valeur.objects.filter(
                indicateur=indicateur, millesime=year, commune__epci_id=commune.epci_id, valeur__isnull=False
            )
            .annotate(rang=Window(Rank(), order_by=F("valeur").desc()))
            .values("commune_id", "valeur", "rang")
        )
        ranks = {row["commune_id"]: row for row in ranked}
        own = ranks.get(commune.pk)
        metro = Valeur.objects.filter(indicateur=indicateur, epci_id=commune.epci_id, millesime=year).first()
        evolution = list(
            Valeur.objects.filter(indicateur=indicateur, commune=commune)
            .order_by("millesime")
            .values_list("millesime", "valeur")
        )
        rows.append(
            {
                "indicateur": indicateur,
                "millesime": year,
                "valeur": own["valeur"] if own else None,
                "rang": own["rang"] if own else None,
                "nombre": len(ranks),
                "metropole": metro.valeur if metro else None,
                "evolution": evolution,
            }
        )
    return rows
