from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from observatoire.core.maps import map_context
from observatoire.territoires.models import Commune

from .api.views import visible_indicateurs
from .classes import METHODS
from .models import Valeur
from .portrait import portrait


@method_decorator(login_not_required, name="dispatch")
class PortraitView(TemplateView):
    """Public: only the indicators this person may see appear (public ones for everyone)."""

    template_name = "indicateurs/portrait.html"

    def get_context_data(self, insee, **kwargs):
        commune = get_object_or_404(Commune.objects.select_related("epci").defer("geom"), insee=insee)
        return super().get_context_data(
            commune=commune, lignes=portrait(commune, self.request.user), **map_context(), **kwargs
        )


class CarteForm(forms.Form):
    millesime = forms.TypedChoiceField(label="Millésime", coerce=int, choices=())
    methode = forms.ChoiceField(
        label="Méthode de classement", choices=[(k, v[0]) for k, v in METHODS.items()]
    )
    classes = forms.TypedChoiceField(
        label="Nombre de classes", coerce=int, choices=[(n, n) for n in range(3, 8)]
    )

    def __init__(self, data, years):
        super().__init__(data)
        self.fields["millesime"].choices = [(y, y) for y in years]


@method_decorator(login_not_required, name="dispatch")
class CarteIndicateurView(TemplateView):
    """Choropleth of an indicator over the communes, with the class method the user picks."""

    template_name = "indicateurs/carte.html"

    def get_context_data(self, code, **kwargs):
        indicateur = get_object_or_404(visible_indicateurs(self.request.user), code=code)
        years = sorted(
            Valeur.objects.filter(indicateur=indicateur).values_list("millesime", flat=True).distinct(),
            reverse=True,
        )
        defaults = {"millesime": years[0] if years else "", "methode": "quantiles", "classes": 5}
        form = CarteForm({**defaults, **self.request.GET.dict()}, years)
        values = form.cleaned_data if form.is_valid() else defaults
        params = urlencode({k: values[k] for k in ("millesime", "methode", "classes") if values[k] != ""})
        geojson_url = reverse("indicateurs-api:communes-geojson", kwargs={"code": code})
        table = (
            Valeur.objects.filter(
                indicateur=indicateur, millesime=values["millesime"] or 0, commune__isnull=False
            )
            .select_related("commune")
            .defer("commune__geom")
            .order_by("-valeur")
        )
        return super().get_context_data(
            indicateur=indicateur,
            form=form,
            geojson_url=f"{geojson_url}?{params}",
            table=table,
            **map_context(),
            **kwargs,
        )
