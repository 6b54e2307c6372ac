"""The commune's portrait as a PDF, from the same rows as the page (``portrait.portrait``).

WeasyPrint lays out a print template (HTML + CSS paged media); charts and the map are inline
SVG, so the document needs nothing from the network. A PDF takes about a second to lay out:
it is cached per commune, indicator data version and set of indicators this person may see
(two people with the same rights get the same file; new values change the version).
"""

import hashlib

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from . import print_graphics
from .cache import cached


def pdf(commune, lignes, page_url):
    visible = ",".join(str(ligne["indicateur"].pk) for ligne in lignes)
    fingerprint = hashlib.sha256(f"{visible}|{page_url}".encode()).hexdigest()[:16]
    # The date is part of the key because the document says when it was made.
    parts = [commune.insee, timezone.localdate().isoformat(), fingerprint]
    return cached("portrait-pdf", parts, lambda: render(commune, lignes, page_url))


def render(commune, lignes, page_url):
    context = {
        "commune": commune,
        "lignes": [
            {
                **ligne,
                "courbe": print_graphics.line_chart(
                    [(commune.nom, ligne["evolution"]), ("Métropole", ligne["evolution_metropole"])],
                    ligne["indicateur"].unite,
                ),
                "annees": _years(ligne["evolution"], ligne["evolution_metropole"]),
            }
            for ligne in lignes
        ],
        "carte": print_graphics.map_svg(commune),
        "generated_at": timezone.localdate(),
        "page_url": page_url,
    }
    html = render_to_string("indicateurs/pdf/portrait.html", context)
    # No base URL: the template has no relative link to fetch.
    return HTML(string=html).write_pdf()


def _years(commune_points, metropole_points):
    """[(year, commune's value, metropolis' value)]: the chart's values, as a table beside it."""
    own, metropole = dict(commune_points), dict(metropole_points)
    return [(year, own.get(year), metropole.get(year)) for year in sorted(own.keys() | metropole.keys())]
