"""Plotly figures of the dashboard, from the plain data of ``stats``.

Figures are built here in Python and sent to the page as JSON; plotly.js only draws them, so
the page holds no inline script (CSP ``script-src 'self'``). Each figure has a data table next
to it in the template: the chart is a convenience, the table is the accessible source.
"""

import json

import plotly.graph_objects as go

# Colour-blind-safe palette (Okabe-Ito, darkened where needed for contrast on white).
PALETTE = ["#1d3c78", "#d55e00", "#009e73", "#cc79a7", "#0072b2", "#8a6100", "#56b4e9", "#4a4f57"]
STATUS_COLOURS = {
    "nouveau": "#d55e00",
    "en_analyse": "#e69f00",
    "reouvert": "#b5476b",
    "transmis": "#56b4e9",
    "pris_en_charge": "#0072b2",
    "planifie": "#1d3c78",
    "resolu": "#009e73",
    "clos": "#146c2e",
    "rejete": "#9aa0a8",
    "doublon": "#c4cad4",
}
FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Roboto, sans-serif"


def _layout(fig, *, height=360, legend=True):
    fig.update_layout(
        template="none",
        height=height,
        margin={"l": 10, "r": 10, "t": 40 if legend else 10, "b": 10},
        font={"family": FONT, "size": 13, "color": "#1e1e1e"},
        # French number format: decimal comma, narrow no-break space between thousands.
        separators=",\u202f",
        showlegend=legend,
        # Above the plot: below it, the legend would collide with the x-axis title.
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        hoverlabel={"font": {"family": FONT}},
        plot_bgcolor="#fff",
        paper_bgcolor="#fff",
    )
    fig.update_xaxes(automargin=True, gridcolor="#e6e9ee", zerolinecolor="#c4cad4")
    fig.update_yaxes(automargin=True, gridcolor="#e6e9ee", zerolinecolor="#c4cad4")
    return fig


def volumes_by_month(data):
    fig = go.Figure()
    for i, serie in enumerate(data["series"]):
        fig.add_trace(
            go.Bar(
                x=data["mois"],
                y=serie["valeurs"],
                name=serie["nom"],
                marker_color=PALETTE[i % len(PALETTE)],
                hovertemplate="%{x} · %{fullData.name} : %{y:,d} signalement(s)<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="Signalements déposés", rangemode="tozero", tickformat=",d")
    return _layout(fig, height=380)


def volumes_by_status(rows):
    fig = go.Figure(
        go.Bar(
            x=[row["n"] for row in rows],
            y=[row["label"] for row in rows],
            orientation="h",
            marker_color=[STATUS_COLOURS.get(row["status"], PALETTE[0]) for row in rows],
            texttemplate="%{x:,d}",
            textposition="auto",
            hovertemplate="%{y} : %{x:,d} signalement(s)<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="Signalements déposés sur la période", rangemode="tozero", tickformat=",d")
    return _layout(fig, height=max(220, 40 * len(rows) + 80), legend=False)


def delays(rows):
    """Median handling time (bars) against the target (a vertical mark on each bar)."""
    names = [row["nom"] for row in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[round(row["median_jours"], 1) for row in rows],
            y=names,
            orientation="h",
            name="Délai médian de traitement",
            marker_color=PALETTE[0],
            customdata=[row["resolus"] for row in rows],
            hovertemplate="%{y} : %{x} jours (médiane de %{customdata} résolus)<extra></extra>",
        )
    )
    targets = [row for row in rows if row["cible_jours"] is not None]
    if targets:
        fig.add_trace(
            go.Scatter(
                x=[row["cible_jours"] for row in targets],
                y=[row["nom"] for row in targets],
                mode="markers",
                name="Délai cible",
                marker={"symbol": "line-ns", "size": 26, "line": {"width": 4, "color": "#d55e00"}},
                hovertemplate="%{y} : délai cible %{x} jours<extra></extra>",
            )
        )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="Jours du dépôt à la résolution", rangemode="tozero")
    return _layout(fig, height=max(240, 40 * len(rows) + 120))


def as_data(fig):
    """The figure as plain JSON data, ready for Django's ``json_script``."""
    return json.loads(fig.to_json())
