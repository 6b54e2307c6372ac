"""Plotly figures of the ZAN page, built in Python and drawn by plotly.js from JSON (no inline script).

The figures are a convenience: the page puts every value in a table next to them.
"""

import json

import plotly.graph_objects as go

from .zan import PERIODE, REFERENCE

FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Roboto, sans-serif"
BLUE, ORANGE, GREEN, GREY = "#1d3c78", "#d55e00", "#009e73", "#6b7280"


def _layout(fig, title_y):
    fig.update_layout(
        template="none",
        height=400,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"family": FONT, "size": 13, "color": "#1e1e1e"},
        separators=",\u202f",
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
    )
    fig.update_xaxes(automargin=True, dtick=1, gridcolor="#e6e9ee")
    fig.update_yaxes(automargin=True, rangemode="tozero", title_text=title_y, gridcolor="#e6e9ee")
    return fig


def annual(t):
    """Yearly consumption (bars), the 2011–2020 average, the straight line and the pace left."""
    years = list(t.flux)
    fig = go.Figure(
        go.Bar(
            x=years,
            y=[round(v, 2) for v in t.flux.values()],
            name="Consommation d'ENAF de l'année",
            marker_color=[BLUE if y < PERIODE[0] else ORANGE for y in years],
            hovertemplate="%{x} : %{y:,.1f} ha<extra></extra>",
        )
    )
    if t.reference_complete:
        fig.add_trace(
            go.Scatter(
                x=[REFERENCE[0] - 0.4, REFERENCE[-1] + 0.4],
                y=[t.moyenne_reference] * 2,
                mode="lines",
                name="Moyenne 2011–2020 (référence)",
                line={"color": GREY, "dash": "dash", "width": 2},
                hovertemplate="Moyenne de référence : %{y:,.1f} ha/an<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=[PERIODE[0] - 0.4, PERIODE[-1] + 0.4],
                y=[t.rythme_cible] * 2,
                mode="lines",
                name="Trajectoire ZAN : enveloppe / 10 par an",
                line={"color": GREEN, "width": 3},
                hovertemplate="Trajectoire : %{y:,.1f} ha/an<extra></extra>",
            )
        )
        if t.rythme_restant is not None and t.derniere_annee and t.derniere_annee < PERIODE[-1]:
            fig.add_trace(
                go.Scatter(
                    x=[max(t.derniere_annee, PERIODE[0] - 1) + 0.6, PERIODE[-1] + 0.4],
                    y=[t.rythme_restant] * 2,
                    mode="lines",
                    name="Rythme possible avec le reste de l'enveloppe",
                    line={"color": ORANGE, "dash": "dot", "width": 2},
                    hovertemplate="Reste de l'enveloppe réparti : %{y:,.1f} ha/an<extra></extra>",
                )
            )
    return _layout(fig, "Hectares par an")


def cumulative(t):
    """Consumption since 2021 added up, against the straight-line use of the allowance."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[PERIODE[0] - 1, *PERIODE],
            y=[0, *(round(t.cumul_cible(y), 2) for y in PERIODE)],
            mode="lines",
            name="Enveloppe consommée en ligne droite",
            line={"color": GREEN, "width": 3},
            hovertemplate="Fin %{x} : %{y:,.1f} ha<extra></extra>",
        )
    )
    done = [y for y in PERIODE if y in t.flux]
    fig.add_trace(
        go.Scatter(
            x=[PERIODE[0] - 1, *done],
            y=[0, *(round(t.cumul_consomme(y), 2) for y in done)],
            mode="lines+markers",
            name="Consommation cumulée depuis 2021",
            line={"color": ORANGE, "width": 3},
            hovertemplate="Fin %{x} : %{y:,.1f} ha<extra></extra>",
        )
    )
    return _layout(fig, "Hectares cumulés depuis le 1er janvier 2021")


def as_data(fig):
    return json.loads(fig.to_json())
