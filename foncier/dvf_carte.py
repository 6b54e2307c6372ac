"""The DVF sales map for agents: each sale at street zoom, grid cells (count, median €/m²) above.

DVF's terms of use forbid re-identifying people and letting search engines index the sales: the
page is gated on the catalogue record « dvf-mutations » (agents and élus, each visit in the download
log), says ``noindex, nofollow`` in its headers and its markup, and is in no sitemap. The sales come
as vector tiles of the restricted « dvf-mutations » collection, which checks the same right per
tileset. The text alternative is the table of the indicators already computed per commune
(``foncier.dvf.indicateurs``), whose medians keep the statistical secret.
"""

from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from gouvernance.gate import serves_rows
from observatoire.core.maps import map_context, tilejson_path
from observatoire.indicateurs.models import Valeur

from .dvf.indicateurs import PRIVACY, SECRET, SOURCE
from .models import TypeMutation

NOINDEX = "noindex, nofollow"
# The markets of the text alternative, in the order of its columns.
MARKET_LABELS = {
    "appartements": "Appartements",
    "maisons": "Maisons",
    "terrains-a-batir": "Terrains à bâtir",
}
# Colours of the sales by type on the map (Okabe-Ito, told apart with colour-vision deficiencies);
# the JavaScript reads them from the page, so the legend and the map cannot disagree.
TYPE_COLOURS = {
    TypeMutation.APPARTEMENT: "#0072b2",
    TypeMutation.APPARTEMENTS: "#56b4e9",
    TypeMutation.MAISON: "#d55e00",
    TypeMutation.MAISONS: "#e69f00",
    TypeMutation.TERRAIN_A_BATIR: "#009e73",
    TypeMutation.TERRAIN: "#8a6100",
    TypeMutation.ACTIVITE: "#cc79a7",
}
OTHER_COLOUR = "#6b7280"
# Median €/m² of a grid cell: (from, colour, label), a sequential palette read in grey too (viridis).
PRICE_CLASSES = (
    (0, "#fde725", "moins de 2 000 €/m²"),
    (2000, "#5ec962", "2 000 à 3 000 €/m²"),
    (3000, "#21918c", "3 000 à 4 000 €/m²"),
    (4000, "#3b528b", "4 000 à 5 000 €/m²"),
    (5000, "#440154", "5 000 €/m² et plus"),
)


def _codes():
    """{indicator code: (market, 0 for the count of sales or 1 for the median price)}."""
    return {
        f"dvf-{kind}-{market}": (market, slot)
        for market in MARKET_LABELS
        for slot, kind in enumerate(("ventes", "prix-m2"))
    }


class MillesimeForm(forms.Form):
    millesime = forms.TypedChoiceField(label="Année des ventes du tableau", coerce=int, required=False)

    def __init__(self, data, years):
        super().__init__(data)
        self.fields["millesime"].choices = [(y, y) for y in years]


def millesimes():
    """Years with DVF indicators per commune, latest first."""
    return list(
        Valeur.objects.filter(indicateur__code__in=_codes(), commune__isnull=False)
        .values_list("millesime", flat=True)
        .distinct()
        .order_by("-millesime")
    )


def table_by_commune(year):
    """Rows {nom, insee, marches: [(market label, sales, median €/m² or None)…]} of one year, by name."""
    codes = _codes()
    values = (
        Valeur.objects.filter(indicateur__code__in=codes, commune__isnull=False, millesime=year)
        .values_list("commune__nom", "commune__insee", "indicateur__code", "valeur")
        .order_by("commune__nom")
    )
    rows = {}
    for nom, insee, code, valeur in values:
        row = rows.setdefault(
            insee, {"nom": nom, "insee": insee, "marches": {m: [0, None] for m in MARKET_LABELS}}
        )
        market, slot = codes[code]
        row["marches"][market][slot] = valeur
    return [
        {**row, "marches": [(MARKET_LABELS[m], *row["marches"][m]) for m in MARKET_LABELS]}
        for row in rows.values()
        if any(sales for sales, _ in row["marches"].values())
    ]


def noindex(view):
    """Every answer of ``view``, the gate's refusals included, asks robots not to index nor follow."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = NOINDEX
        return response

    return wrapped


@method_decorator(login_not_required, name="dispatch")  # the gate sends anonymous visitors to log in
@method_decorator(noindex, name="dispatch")
@serves_rows("dvf-mutations")
class DvfCarteView(TemplateView):
    template_name = "foncier/dvf_carte.html"

    def get_context_data(self, **kwargs):
        years = millesimes()
        form = MillesimeForm(self.request.GET or None, years)
        chosen = form.cleaned_data.get("millesime") if form.is_valid() else None
        year = chosen or (years[0] if years else None)
        labels = dict(TypeMutation.choices)
        return super().get_context_data(
            form=form,
            millesime=year,
            communes=table_by_commune(year) if year else [],
            marches=list(MARKET_LABELS.values()),
            types=[
                {"code": c, "libelle": labels[c], "couleur": colour} for c, colour in TYPE_COLOURS.items()
            ],
            autre_couleur=OTHER_COLOUR,
            classes_prix=[{"min": m, "couleur": c, "libelle": label} for m, c, label in PRICE_CLASSES],
            secret_ventes=SECRET,
            # For the map's popups and colours: every type, those without a colour of their own in grey.
            types_carte={
                c: {"libelle": labels[c], "couleur": TYPE_COLOURS.get(c, OTHER_COLOUR)} for c in labels
            },
            tuiles_dvf=tilejson_path("dvf-mutations"),
            source=SOURCE,
            secret=PRIVACY,
            noindex=NOINDEX,
            **map_context(),
            **kwargs,
        )
