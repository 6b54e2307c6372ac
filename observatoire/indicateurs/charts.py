"""Plotly figures of indicators, as plain dictionaries that plotly.js draws.

They are written as dictionaries rather than ``plotly.graph_objects`` because the Python
validation of a figure costs tens of milliseconds and a dashboard draws several; plotly.js
checks them anyway. The page reads them from a JSON block (CSP: no inline script), and every
chart has its values in a table next to it.
"""

from .formats import format_valeur

BLUE = "#1d3c78"
ORANGE = "#d55e00"
GREEN = "#009e73"
# Colour-blind-safe series colours (Okabe-Ito, darkened for contrast on white).
PALETTE = [BLUE, ORANGE, GREEN, "#cc79a7", "#0072b2", "#8a6100"]
FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Roboto, sans-serif"
# Beyond this ratio between the largest values, a commune drawn on the metropolis' axis is flat.
SECOND_AXIS_RATIO = 5


def axis(title="", **extra):
    """An axis in the portal's look (light grid, room for long tick labels); ``extra`` adds to it."""
    return {
        "title": {"text": title},
        "automargin": True,
        "gridcolor": "#e6e9ee",
        "zerolinecolor": "#c4cad4",
        **extra,
    }


def layout(*, height=340, legend=True, **extra):
    """A figure's layout in the portal's look (font, French number format, legend on top, white
    background); ``extra`` adds to it or overrides it (axes, barmode…)."""
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 40 if legend else 16, "b": 10},
        "font": {"family": FONT, "size": 13, "color": "#1e1e1e"},
        # French number format: decimal comma, narrow no-break space between thousands.
        "separators": ",\u202f",
        "showlegend": legend,
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hoverlabel": {"font": {"family": FONT}},
        "plot_bgcolor": "#fff",
        "paper_bgcolor": "#fff",
        **extra,
    }


def _hover(unite):
    # The value as the tables write it (format_valeur, passed as customdata), not d3's rounding.
    return "%{fullData.name}, %{x} : %{customdata} " + unite + "<extra></extra>"


def _shown(values, unite):
    return [format_valeur(value, unite) for value in values]


def on_right_axis(series):
    """For each of ``series`` [(name, [(year, value)])], whether it goes on the right axis: a
    series (not the first) whose largest value is more than SECOND_AXIS_RATIO times apart from
    the first one's."""
    peaks = [max(abs(v) for _, v in points) or 1 for _, points in series]
    return [
        i > 0 and max(peak, peaks[0]) > SECOND_AXIS_RATIO * min(peak, peaks[0])
        for i, peak in enumerate(peaks)
    ]


def evolution(series, unite):
    """Lines over the years: ``series`` is [(name, [(year, value)])].

    A commune's values are a fraction of the metropolis' when the indicator is a count: a
    series far from the first one in size goes on a second axis, on the right, so that both
    trends stay readable.
    """
    series = [(name, points) for name, points in series if points]
    if not series:
        return None
    right = on_right_axis(series)
    traces = []
    for i, (name, points) in enumerate(series):
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name + (" (axe de droite)" if right[i] else ""),
                "x": [year for year, _ in points],
                "y": [value for _, value in points],
                "customdata": _shown((value for _, value in points), unite),
                "yaxis": "y2" if right[i] else "y",
                "line": {"color": PALETTE[i % len(PALETTE)], "width": 3},
                "marker": {"size": 7},
                "hovertemplate": _hover(unite),
            }
        )
    left_names = [name for (name, _), r in zip(series, right, strict=True) if not r]
    shape = layout(
        xaxis=axis("Millésime", dtick=1, tickformat="d"),
        yaxis=axis(f"{', '.join(left_names)} ({unite})" if any(right) else unite, rangemode="tozero"),
    )
    if any(right):
        right_names = [name for (name, _), r in zip(series, right, strict=True) if r]
        shape["yaxis2"] = axis(
            f"{', '.join(right_names)} ({unite})",
            overlaying="y",
            side="right",
            rangemode="tozero",
            showgrid=False,
            tickmode="auto",
        )
    return {"data": traces, "layout": shape}


def classement(rows, unite, highlight=None):
    """Horizontal bars of the communes, in the order of ``rows`` (first at the top)."""
    rows = [row for row in rows if row["valeur"] is not None]
    if not rows:
        return None
    figure = {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [row["valeur"] for row in rows],
                "y": [row["nom"] for row in rows],
                "customdata": _shown((row["valeur"] for row in rows), unite),
                "marker": {"color": [ORANGE if row["insee"] == highlight else BLUE for row in rows]},
                "hovertemplate": "%{y} : %{customdata} " + unite + "<extra></extra>",
            }
        ],
        "layout": layout(
            height=max(260, 16 * len(rows) + 90),
            legend=False,
            bargap=0.25,
            xaxis=axis(unite, rangemode="tozero", side="top"),
            yaxis=axis(autorange="reversed", tickfont={"size": 11}, dtick=1),
        ),
    }
    return figure


def distribution(rows, unite, highlight=None):
    """Box of the communes' values with every commune as a point (hover: its name).

    Counts are very skewed (Marseille weighs as much as dozens of communes): a box with its
    points shows the bulk and the outliers where a histogram would be one bar.
    """
    valued = [row for row in rows if row["valeur"] is not None]
    if len(valued) < 2:
        return None
    traces = [
        {
            "type": "box",
            "name": "Communes",
            "x": [row["valeur"] for row in valued],
            "text": [row["nom"] for row in valued],
            "boxpoints": "all",
            "jitter": 0.5,
            "pointpos": 0,
            "boxmean": True,
            "fillcolor": "rgba(79, 124, 201, 0.15)",
            "line": {"color": BLUE},
            "marker": {"color": BLUE, "size": 6, "opacity": 0.7},
            # Also the box's own figures (median, quartiles): no customdata there, d3 rounds them.
            "hovertemplate": "%{text} : %{x:,.2~f} " + unite + "<extra></extra>",
        }
    ]
    chosen = next((row for row in valued if row["insee"] == highlight), None)
    if chosen:
        shown = format_valeur(chosen["valeur"], unite)
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{chosen['nom']} : {shown}",
                "x": [chosen["valeur"]],
                "y": ["Communes"],
                "marker": {
                    "color": ORANGE,
                    "size": 14,
                    "symbol": "diamond",
                    "line": {"color": "#fff", "width": 1},
                },
                "hovertemplate": f"{chosen['nom']} : {shown} {unite}<extra></extra>",
            }
        )
    return {
        "data": traces,
        "layout": layout(
            height=300,
            legend=bool(chosen),
            xaxis=axis(unite, rangemode="tozero"),
            yaxis=axis(showticklabels=False),
        ),
    }


def grouped_bars(series, unite, years=6):
    """Bars per year (the last ``years``), one per territory: ``series`` is [(name, [(year, value)])]."""
    all_years = sorted({year for _, points in series for year, _ in points})[-years:]
    if not all_years:
        return None
    traces = []
    for i, (name, points) in enumerate(series):
        values = dict(points)
        traces.append(
            {
                "type": "bar",
                "name": name,
                "x": [str(year) for year in all_years],
                "y": [values.get(year) for year in all_years],
                "customdata": _shown((values.get(year) for year in all_years), unite),
                "marker": {"color": PALETTE[i % len(PALETTE)]},
                "hovertemplate": _hover(unite),
            }
        )
    return {
        "data": traces,
        "layout": layout(
            barmode="group",
            xaxis=axis("Millésime", type="category"),
            yaxis=axis(unite, rangemode="tozero"),
        ),
    }
