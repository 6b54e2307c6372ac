"""The satisfaction chart of the dashboard, drawn like the others (``dashboard.charts``)."""

import plotly.graph_objects as go

from ..dashboard.charts import PALETTE, _layout  # the shared look of the dashboard charts

# (share, its count, name, colour, hover text after the category's name)
SERIES = [
    (
        "part_regle",
        "reponses",
        "Problème réglé (part des réponses)",
        PALETTE[2],
        "% réglés (sur %{customdata} réponses)",
    ),
    (
        "taux_reponse",
        "invites",
        "Taux de réponse des invités",
        PALETTE[0],
        "% de réponses (sur %{customdata} invités)",
    ),
]


def by_category(rows):
    """Per category: share of answers saying « réglé », and response rate of the invited reporters."""
    names = [row["nom"] for row in rows]
    fig = go.Figure()
    for share, count, name, colour, hover in SERIES:
        fig.add_trace(
            go.Bar(
                x=[round(100 * row[share]) for row in rows],
                y=names,
                orientation="h",
                name=name,
                marker_color=colour,
                customdata=[row[count] for row in rows],
                hovertemplate="%{y} : %{x} " + hover + "<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title_text="%", range=[0, 100])
    return _layout(fig, height=max(260, 56 * len(rows) + 120))
