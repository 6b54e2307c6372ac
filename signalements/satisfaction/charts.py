"""The satisfaction chart of the dashboard, drawn like the others (``dashboard.charts``)."""

import plotly.graph_objects as go

from ..dashboard.charts import PALETTE, _layout  # the shared look of the dashboard charts


def by_category(rows):
    """Per category: share of answers saying « réglé », and response rate of the invited reporters."""
    names = [row["nom"] for row in rows]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[round(100 * row["part_regle"]) for row in rows],
            y=names,
            orientation="h",
            name="Problème réglé (part des réponses)",
            marker_color=PALETTE[2],
            customdata=[row["reponses"] for row in rows],
            hovertemplate="%{y} : %{x} % réglés (sur %{customdata} réponses)<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=[round(100 * row["taux_reponse"]) for row in rows],
            y=names,
            orientation="h",
            name="Taux de réponse des auteurs invités",
            marker_color=PALETTE[0],
            customdata=[row["invites"] for row in rows],
            hovertemplate="%{y} : %{x} % de réponses (sur %{customdata} invités)<extra></extra>",
        )
    )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="%", range=[0, 100])
    return _layout(fig, height=max(260, 56 * len(rows) + 120))
