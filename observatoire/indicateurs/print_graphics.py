"""Static SVG for print: a commune within its metropolis, and an indicator's lines over the years.

The PDF portrait has no JavaScript, so plotly.js cannot draw it; plotly's own static export
needs a headless Chrome (kaleido). Two small drawings are enough: the map comes from PostGIS
(ST_AsSVG, in Lambert-93 metres), the chart is computed here and written by a template.
"""

from django.db import connection

from .charts import PALETTE, on_right_axis
from .formats import format_valeur

# Contours simplified to this many metres: invisible at print size, ten times lighter.
MAP_TOLERANCE = 60

MAP_SQL = """
    SELECT c.id = %(commune)s,
           ST_AsSVG(ST_SimplifyPreserveTopology(c.geom, %(tol)s), 0, 0),
           ST_XMin(e.extent), ST_YMax(e.extent),
           ST_XMax(e.extent) - ST_XMin(e.extent), ST_YMax(e.extent) - ST_YMin(e.extent)
    FROM territoires_commune c,
         (SELECT ST_Extent(geom) AS extent FROM territoires_commune
          WHERE (%(epci)s::bigint IS NULL AND id = %(commune)s) OR epci_id = %(epci)s) e
    WHERE (%(epci)s::bigint IS NULL AND c.id = %(commune)s) OR c.epci_id = %(epci)s
    ORDER BY c.id = %(commune)s
"""


def map_svg(commune):
    """{"view_box", "paths": [(is_the_commune, path data)]}: the commune drawn last, on top.

    ST_AsSVG writes y downwards (it negates the northing), hence the view box from -ymax.
    """
    with connection.cursor() as cursor:
        cursor.execute(MAP_SQL, {"commune": commune.pk, "epci": commune.epci_id, "tol": MAP_TOLERANCE})
        rows = cursor.fetchall()
    if not rows:
        return None
    _, _, xmin, ymax, width, height = rows[0]
    margin = max(width, height) * 0.02
    view_box = f"{xmin - margin:.0f} {-ymax - margin:.0f} {width + 2 * margin:.0f} {height + 2 * margin:.0f}"
    return {"view_box": view_box, "paths": [(own, path) for own, path, *_ in rows]}


CHART = {"width": 460, "height": 190, "left": 58, "right": 58, "top": 12, "bottom": 28}


def _scale(values, top, bottom):
    """A function from value to y, from zero (like the page's chart), and its five ticks."""
    low, high = min(0, *values), max(0, *values)
    high = high if high != low else low + 1

    def y(value):
        return round(top + (bottom - top) * (high - value) / (high - low), 1)

    ticks = [low + (high - low) * step / 4 for step in range(5)]
    # (grid line's y, label's baseline, label): WeasyPrint applies a text's dy to its first letter only.
    return y, [(y(value), y(value) + 3, format_valeur(value)) for value in ticks]


def line_chart(series, unite):
    """Coordinates of a line chart for ``series`` [(name, [(year, value)])], or None.

    None below two years: one point is no trend, the table beside says it. As on the page
    (``charts.evolution``), a series far from the first one in size (the metropolis for a
    count) gets its own axis on the right, so that both trends stay readable.
    """
    series = [(name, [(y, v) for y, v in points if v is not None]) for name, points in series]
    series = [(name, points) for name, points in series if points]
    years = sorted({year for _, points in series for year, _ in points})
    if len(years) < 2:
        return None
    c = CHART
    plot_right, plot_bottom = c["width"] - c["right"], c["height"] - c["bottom"]
    right = on_right_axis(series)
    sides = {}
    for side in (False, True):
        values = [v for (_, points), r in zip(series, right, strict=True) if r == side for _, v in points]
        if values:
            sides[side] = _scale(values, c["top"], plot_bottom)

    def x(year):
        return round(c["left"] + (plot_right - c["left"]) * (year - years[0]) / (years[-1] - years[0]), 1)

    lines = []
    for i, (name, points) in enumerate(series):
        y = sides[right[i]][0]
        dots = [(x(year), y(value)) for year, value in points]
        lines.append(
            {
                "name": name + (" (axe de droite)" if right[i] else ""),
                "colour": PALETTE[i % len(PALETTE)],  # the page's colours
                "points": " ".join(f"{px},{py}" for px, py in dots),
                "dots": dots,
            }
        )
    step = 1 if len(years) <= 8 else 2
    return {
        **c,
        "unite": unite,
        "plot_right": plot_right,
        "plot_bottom": plot_bottom,
        "tick_left": c["left"] - 5,
        "tick_right": plot_right + 5,
        "year_y": plot_bottom + 16,
        "lines": lines,
        "x_ticks": [(x(year), year) for year in years[::-1][::step]],
        "y_ticks": sides[False][1] if False in sides else [],
        "y_ticks_right": sides[True][1] if True in sides else [],
    }
