"""Two to five communes side by side: each visible indicator, with the metropolis for reference."""

from django.db.models import F

from . import charts, data
from .exports import Table
from .formats import rounded_valeur
from .models import Indicateur


def compare(communes, user, epci):
    """``communes`` are (id, insee, nom); one row per indicator at its latest year, and its chart."""
    indicateurs = list(
        Indicateur.objects.visible_to(user)
        .filter(dernier_millesime__isnull=False)
        .select_related("observatoire", "rubrique")
        .order_by(
            F("observatoire__ordre").asc(nulls_last=True),
            F("rubrique__ordre").asc(nulls_last=True),
            "libelle",
        )
    )
    series = data.series_by_territory(indicateurs, epci, [pk for pk, _, _ in communes])
    lignes, figures = [], {}
    for indicateur in indicateurs:
        own = series[indicateur.pk]
        year = indicateur.dernier_millesime
        lignes.append(
            {
                "indicateur": indicateur,
                "millesime": year,
                "valeurs": [dict(own.get(pk, [])).get(year) for pk, _, _ in communes],
                "metropole": dict(own.get("metropole", [])).get(year),
            }
        )
        figure = charts.grouped_bars([(nom, own.get(pk, [])) for pk, _, nom in communes], indicateur.unite)
        if figure:
            figures[indicateur.code] = figure
    return lignes, figures


def table(communes, lignes):
    names = [nom for _, _, nom in communes]
    return Table(
        title="Comparaison de communes",
        headers=["Indicateur", "Unité", "Millésime", *names, "Métropole", "Source"],
        rows=[
            [
                ligne["indicateur"].libelle,
                ligne["indicateur"].unite,
                ligne["millesime"],
                *(rounded_valeur(value) for value in ligne["valeurs"]),
                rounded_valeur(ligne["metropole"]),
                ligne["indicateur"].source,
            ]
            for ligne in lignes
        ],
        filename="comparaison-" + "-".join(insee for _, insee, _ in communes),
        notes=[("Communes", ", ".join(names))],
        number_columns=tuple(range(3, 4 + len(names))),
    )
