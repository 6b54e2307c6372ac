from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import Transform
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from observatoire.core.maps import map_context, tilejson_path
from observatoire.territoires.models import Commune

from . import queries
from .models import Arret, Ligne, Reseau

TOP_STOPS = 20


@method_decorator(login_not_required, name="dispatch")
class ReseauView(TemplateView):
    """Stops (sized by passages) and lines on a map; the same facts as tables below it."""

    template_name = "mobilite/reseau.html"

    def get_context_data(self, **kwargs):
        lignes = Ligne.objects.select_related("reseau").defer("geom").order_by("type", "nom_court")
        stops = Arret.objects.aggregate(
            total=Sum("passages"), count=Count("id"), extent=Extent(Transform("geom", 4326))
        )
        context = map_context()
        if stops["extent"]:
            # The map opens on the network (drawn from vector tiles, which give no extent of their own).
            west, south, east, north = stops["extent"]
            context["map_bounds"] = f"{south},{west},{north},{east}"
        return super().get_context_data(
            reseaux=Reseau.objects.annotate(arrets_count=Count("arrets")).order_by("nom"),
            lignes=[(ligne, queries.ROUTE_TYPES.get(ligne.type, f"Type {ligne.type}")) for ligne in lignes],
            arrets=Arret.objects.select_related("commune")
            .defer("geom", "commune__geom")
            .order_by("-passages", "nom")[:TOP_STOPS],
            passages=stops["total"] or 0,
            arrets_count=stops["count"],
            tuiles_arrets=tilejson_path("arrets"),
            tuiles_lignes=tilejson_path("lignes"),
            **context,
            **kwargs,
        )


class FluxForm(forms.Form):
    millesime = forms.TypedChoiceField(label="Millésime", coerce=int, choices=())
    commune = forms.ChoiceField(label="Commune (départ ou arrivée)", required=False, choices=())
    limite = forms.TypedChoiceField(
        label="Nombre de flux", coerce=int, choices=[(n, n) for n in (10, 30, 50, 100)]
    )

    def __init__(self, data, years):
        super().__init__(data)
        self.fields["millesime"].choices = [(y, y) for y in years]
        communes = Commune.objects.filter(epci__isnull=False).order_by("nom").values_list("insee", "nom")
        self.fields["commune"].choices = [("", "Toutes les communes"), *communes]


@method_decorator(login_not_required, name="dispatch")
class FluxView(TemplateView):
    """Largest home-to-work flows between communes: map and table, filtered by commune."""

    template_name = "mobilite/flux.html"

    def get_context_data(self, **kwargs):
        years = queries.flux_millesimes()
        defaults = {"millesime": years[0] if years else "", "commune": "", "limite": 30}
        form = FluxForm({**defaults, **self.request.GET.dict()}, years)
        values = form.cleaned_data if form.is_valid() else defaults
        commune = None
        if values["commune"]:
            commune = Commune.objects.defer("geom").get(insee=values["commune"])
        flows = queries.top_flows(values["millesime"] or 0, commune.pk if commune else None, values["limite"])
        params = urlencode({k: values[k] for k in ("millesime", "commune", "limite") if values[k] != ""})
        return super().get_context_data(
            form=form,
            flows=flows,
            commune=commune,
            millesime=values["millesime"],
            flux_url=f"{reverse('mobilite-api:flux')}?{params}",
            **map_context(),
            **kwargs,
        )
