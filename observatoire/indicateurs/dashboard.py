"""Dashboard of an observatory: one indicator at a time, for a year and a territory.

The page and its CSV/XLSX exports go through ``resolve`` and ``table``: the download holds
exactly the rows and columns shown, with the same filters and the same visibility rules.
"""

import statistics
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse

from . import charts, data
from .cache import cached
from .exports import Table
from .formats import (
    change,
    change_unit,
    format_ecart_points,
    format_evolution,
    format_valeur,
    is_rate,
    rounded_valeur,
)
from .forms import TOP, DashboardForm
from .models import Indicateur

KEY_FIGURES = 6


@dataclass
class Commune:
    """The commune chosen in the filters (id, INSEE code, name: no geometry needed)."""

    pk: int
    insee: str
    nom: str


@dataclass
class State:
    observatoire: object
    indicateurs: list
    indicateur: Indicateur
    form: DashboardForm
    values: dict
    epci: object
    commune: Commune | None
    snapshot: dict

    @property
    def query(self):
        return urlencode({name: value for name, value in self.values.items() if value not in (None, "")})


def dashboard_indicateurs(observatoire, user):
    """The indicators of the observatory this person may see and that have values, by rubrique."""
    return list(
        Indicateur.objects.visible_to(user)
        .filter(observatoire=observatoire, dernier_millesime__isnull=False)
        .select_related("rubrique")
        .order_by(F("rubrique__ordre").asc(nulls_last=True), "rubrique__nom", "libelle")
    )


def resolve(request, observatoire):
    """The filters of the request, checked; None when no indicator of the observatory has data."""
    indicateurs = dashboard_indicateurs(observatoire, request.user)
    if not indicateurs:
        return None
    indicateur = next((i for i in indicateurs if i.code == request.GET.get("indicateur")), indicateurs[0])
    query = request.GET
    if query.get("millesime_de", indicateur.code) != indicateur.code:
        # The indicator was just changed in the filters: the millésime shown was the previous
        # indicator's, so the new one opens on its own latest millésime, never on an older one
        # that happens to exist for both. A link naming a millésime (no millesime_de) keeps it.
        query = query.copy()
        query.pop("millesime", None)
    years = data.millesimes(indicateur)
    epci = data.metropole()
    communes = data.communes_of(epci)
    defaults = {
        "indicateur": indicateur.code,
        "millesime": years[0] if years else indicateur.dernier_millesime,
        "territoire": "",
        "classement": "tous",
        "methode": "quantiles",
        "classes": 5,
    }
    form = DashboardForm(query, indicateurs=indicateurs, years=years, communes=communes, defaults=defaults)
    values = form.values()
    chosen = next((c for c in communes if c[1] == values["territoire"]), None)
    return State(
        observatoire=observatoire,
        indicateurs=indicateurs,
        indicateur=indicateur,
        form=form,
        values=values,
        epci=epci,
        commune=Commune(*chosen) if chosen else None,
        snapshot=data.snapshot(indicateur, values["millesime"], epci),
    )


def shown_rows(state):
    """The communes of the table and of the bar chart, in the order shown."""
    rows = state.snapshot["communes"]
    valued = [row for row in rows if row["valeur"] is not None]
    if state.values["classement"] == "haut":
        return valued[:TOP]
    if state.values["classement"] == "bas":
        return valued[::-1][:TOP]
    return rows


def table(state):
    indicateur, snap = state.indicateur, state.snapshot
    year, before = snap["millesime"], snap["precedent"]
    headers = ["Rang", "Commune", "Code INSEE", f"{indicateur.libelle} {year} ({indicateur.unite})"]
    if before:
        headers += [
            f"{indicateur.libelle} {before} ({indicateur.unite})",
            f"Évolution {before}-{year} ({change_unit(indicateur)})",
        ]

    def line(rang, nom, code, values):
        cells = [rang, nom, code, rounded_valeur(values["valeur"])]
        if before:
            evolution = change(indicateur, values["valeur"], values["precedent"])
            cells += [rounded_valeur(values["precedent"]), None if evolution is None else round(evolution, 1)]
        return cells

    rows = [line(row["rang"], row["nom"], row["insee"], row) for row in shown_rows(state)]
    epci = state.epci
    footer = [line(None, "Métropole", epci.siren if epci else "", snap["metropole"])]
    territoire = state.commune.nom if state.commune else "Métropole"
    classement = dict(state.form.fields["classement"].choices)[state.values["classement"]]
    return Table(
        title=f"{indicateur.libelle} par commune, {year}",
        headers=headers,
        rows=rows + footer,
        filename=f"{indicateur.code}-{year}-communes",
        number_columns=(3, 4, 5) if before else (3,),
        notes=[
            ("Indicateur", f"{indicateur.libelle} ({indicateur.unite})"),
            ("Définition", indicateur.definition),
            ("Source", indicateur.source),
            ("Millésime", year),
            ("Territoire mis en évidence", territoire),
            ("Communes", classement),
        ],
    )


def display_rows(state, export):
    """The export's rows formatted for the page; the chosen commune and the metropolis marked."""
    insee = state.commune.insee if state.commune else None
    format_change = format_ecart_points if is_rate(state.indicateur) else format_evolution
    for cells in export.rows:
        shown = [
            "" if cells[0] is None else f"{cells[0]}",
            cells[1],
            cells[2],
            *(format_valeur(value, state.indicateur.unite) for value in cells[3:5]),
            *(format_change(value) for value in cells[5:6]),
        ]
        yield {"cells": shown, "highlight": cells[2] == insee, "metropole": cells[1] == "Métropole"}


def figures(state):
    """The three charts of the indicator, cached with the values they show."""
    indicateur, commune = state.indicateur, state.commune
    parts = [indicateur.pk, indicateur.updated_at.timestamp(), state.values["millesime"]]
    parts += [commune.insee if commune else "", state.values["classement"]]
    return cached("figures", parts, lambda: _figures(state))


def _figures(state):
    indicateur, snap, commune = state.indicateur, state.snapshot, state.commune
    series = [("Métropole", snap["serie_metropole"])]
    if commune:
        series.append((commune.nom, data.commune_series(indicateur, commune.pk)))
    highlight = commune.insee if commune else None
    built = {
        "evolution": charts.evolution(series, indicateur.unite),
        "classement": charts.classement(shown_rows(state), indicateur.unite, highlight),
        "distribution": charts.distribution(snap["communes"], indicateur.unite, highlight),
    }
    return {
        "figures": {name: figure for name, figure in built.items() if figure},
        "evolution_table": evolution_table(series),
    }


def evolution_table(series):
    years = sorted({year for _, points in series for year, _ in points})
    columns = [(name, dict(points)) for name, points in series if points]
    return {
        "noms": [name for name, _ in columns],
        "lignes": [(year, [values.get(year) for _, values in columns]) for year in years],
    }


def summary(snapshot):
    """Figures describing the spread of the communes' values (the text beside the histogram)."""
    values = [row["valeur"] for row in snapshot["communes"] if row["valeur"] is not None]
    if len(values) < 2:
        return None
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {
        "n": len(values),
        "minimum": min(values),
        "q1": q1,
        "mediane": median,
        "q3": q3,
        "maximum": max(values),
        "moyenne": statistics.fmean(values),
    }


def filenames(state):
    """French names of the PNG downloads of the charts."""
    code, year = state.indicateur.code, state.values["millesime"]
    territoire = state.commune.insee if state.commune else "metropole"
    return {
        "evolution": f"evolution-{code}-{territoire}",
        "distribution": f"repartition-communes-{code}-{year}",
        "classement": f"classement-communes-{code}-{year}",
    }


def geojson_url(state):
    params = {k: state.values[k] for k in ("millesime", "methode", "classes")}
    url = reverse("indicateurs-api:communes-geojson", kwargs={"code": state.indicateur.code})
    return f"{url}?{urlencode(params)}"


def key_figures(state):
    """KPI cards: the chosen indicator first, then the others of the observatory, for the year."""
    chosen = [state.indicateur] + [i for i in state.indicateurs if i != state.indicateur]
    return data.key_figures(
        chosen[:KEY_FIGURES],
        state.epci,
        millesime=state.values["millesime"],
        commune_id=state.commune.pk if state.commune else None,
    )
