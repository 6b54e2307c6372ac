"""A commune's portrait: each visible indicator next to the metropolis, with its rank and evolution.

Four queries whatever the number of indicators: ranks are computed by the database over each
indicator's latest year, series come in one query for the commune and the metropolis.
"""

from django.db.models import Count, F, Window
from django.db.models.functions import Rank

from . import charts, data
from .exports import Table
from .formats import rounded_valeur
from .models import Indicateur, Valeur


def portrait(commune, user):
    indicateurs = list(
        Indicateur.objects.visible_to(user)
        .filter(dernier_millesime__isnull=False)
        .select_related("observatoire")
        .order_by(F("observatoire__ordre").asc(nulls_last=True), "code")
    )
    if not indicateurs:
        return []
    ranked = (
        Valeur.objects.filter(
            indicateur__in=indicateurs,
            millesime=F("indicateur__dernier_millesime"),
            commune__epci_id=commune.epci_id,
            valeur__isnull=False,
        )
        .annotate(
            rang=Window(Rank(), partition_by=F("indicateur_id"), order_by=F("valeur").desc()),
            nombre=Window(Count("id"), partition_by=F("indicateur_id")),
        )
        .values("indicateur_id", "commune_id", "rang", "nombre")
    )
    nombres, own_ranks = {}, {}
    for row in ranked:
        nombres[row["indicateur_id"]] = row["nombre"]
        if row["commune_id"] == commune.pk:
            own_ranks[row["indicateur_id"]] = row["rang"]
    series = data.series_by_territory(indicateurs, commune.epci if commune.epci_id else None, [commune.pk])
    rows = []
    for indicateur in indicateurs:
        year = indicateur.dernier_millesime
        own = series[indicateur.pk]
        evolution = own.get(commune.pk, [])
        rows.append(
            {
                "indicateur": indicateur,
                "millesime": year,
                "valeur": dict(evolution).get(year),
                "rang": own_ranks.get(indicateur.pk),
                "nombre": nombres.get(indicateur.pk, 0),
                "metropole": dict(own.get("metropole", [])).get(year),
                "evolution": evolution,
                "evolution_metropole": own.get("metropole", []),
            }
        )
    # The evolution chart opens on the commune's longest series: a single year shows no evolution.
    longest = max(rows, key=lambda row: len(row["evolution"]))
    for row in rows:
        row["evolution_par_defaut"] = row is longest
    return rows


def figures(commune, lignes):
    """One line chart per indicator (the page shows one at a time, chosen in a list)."""
    built = {}
    for ligne in lignes:
        figure = charts.evolution(
            [(commune.nom, ligne["evolution"]), ("Métropole", ligne["evolution_metropole"])],
            ligne["indicateur"].unite,
        )
        if figure:
            built[ligne["indicateur"].code] = figure
    return built


def table(commune, lignes):
    return Table(
        title=f"Portrait de {commune.nom}",
        headers=[
            "Indicateur", "Unité", "Millésime", commune.nom, "Métropole", "Rang",
            "Communes classées", "Source",
        ],
        rows=[
            [
                ligne["indicateur"].libelle,
                ligne["indicateur"].unite,
                ligne["millesime"],
                rounded_valeur(ligne["valeur"]),
                rounded_valeur(ligne["metropole"]),
                ligne["rang"],
                ligne["nombre"],
                ligne["indicateur"].source,
            ]
            for ligne in lignes
        ],
        filename=f"portrait-{commune.insee}",
        notes=[("Commune", f"{commune.nom} ({commune.insee})")],
        number_columns=(3, 4),
    )  # fmt: skip
