"""Plotly figures of the ZAN page, as plain dictionaries in the portal's look (``indicateurs.charts``:
layout, axes, French number format), drawn by plotly.js from JSON (no inline script).

The figures are a convenience: the page puts every value in a table next to them.
"""

from observatoire.indicateurs.charts import BLUE, GREEN, ORANGE, axis, layout

from .zan import PERIODE, REFERENCE

GREY = "#6b7280"


def _line(name, x, y, hover, mode="lines", **line):
    return {
        "type": "scatter",
        "mode": mode,
        "name": name,
        "x": x,
        "y": y,
        "line": line,
        "hovertemplate": hover,
    }


def _level(name, label, years, value, **line):
    """A yearly pace held over ``years``, from the left edge of the first bar to the right of the last."""
    x = [years[0] - 0.4, years[-1] + 0.4]
    return _line(name, x, [value] * 2, label + " : %{y:,.1f} ha/an<extra></extra>", **line)


def _figure(data, title_y):
    return {
        "data": data,
        "layout": layout(
            height=400,
            legend=len(data) > 1,
            xaxis=axis(dtick=1),
            yaxis=axis(title_y, rangemode="tozero"),
        ),
    }


def annual(t):
    """Yearly consumption (bars), the 2011–2020 average, the straight line and the pace left."""
    years = list(t.flux)
    data = [
        {
            "type": "bar",
            "name": "Consommation d'ENAF de l'année",
            "x": years,
            "y": [round(v, 2) for v in t.flux.values()],
            "marker": {"color": [BLUE if y < PERIODE[0] else ORANGE for y in years]},
            "hovertemplate": "%{x} : %{y:,.1f} ha<extra></extra>",
        }
    ]
    if t.reference_complete:
        data.append(
            _level(
                "Moyenne 2011–2020 (référence)",
                "Moyenne de référence",
                REFERENCE,
                t.moyenne_reference,
                color=GREY,
                dash="dash",
                width=2,
            )
        )
        data.append(
            _level(
                "Trajectoire ZAN : enveloppe / 10 par an",
                "Trajectoire",
                PERIODE,
                t.rythme_cible,
                color=GREEN,
                width=3,
            )
        )
        if t.rythme_restant is not None and t.derniere_annee and t.derniere_annee < PERIODE[-1]:
            left = range(max(t.derniere_annee, PERIODE[0] - 1) + 1, PERIODE[-1] + 1)
            data.append(
                _level(
                    "Rythme possible avec le reste de l'enveloppe",
                    "Reste de l'enveloppe réparti",
                    left,
                    t.rythme_restant,
                    color=ORANGE,
                    dash="dot",
                    width=2,
                )
            )
    return _figure(data, "Hectares par an")


def cumulative(t):
    """Consumption since 2021 added up, against the straight-line use of the allowance."""
    done = [y for y in PERIODE if y in t.flux]
    data = [
        _line(
            "Enveloppe consommée en ligne droite",
            [PERIODE[0] - 1, *PERIODE],
            [0, *(round(t.cumul_cible(y), 2) for y in PERIODE)],
            "Fin %{x} : %{y:,.1f} ha<extra></extra>",
            color=GREEN,
            width=3,
        ),
        _line(
            "Consommation cumulée depuis 2021",
            [PERIODE[0] - 1, *done],
            [0, *(round(t.cumul_consomme(y), 2) for y in done)],
            "Fin %{x} : %{y:,.1f} ha<extra></extra>",
            mode="lines+markers",
            color=ORANGE,
            width=3,
        ),
    ]
    return _figure(data, "Hectares cumulés depuis le 1er janvier 2021")
