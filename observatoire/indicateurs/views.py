from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from observatoire.core.maps import map_context
from observatoire.observatoires.models import Observatoire
from observatoire.territoires.models import Commune

from . import comparison, dashboard, data, exports, portrait_blocks, portrait_pdf
from . import portrait as portraits
from .api.views import visible_indicateurs
from .classes import METHODS
from .forms import CLASSEMENTS, MAX_COMMUNES, ComparaisonForm
from .models import Valeur


def _commune(insee):
    return get_object_or_404(Commune.objects.select_related("epci").defer("geom", "epci__geom"), insee=insee)


@method_decorator(login_not_required, name="dispatch")
class PortraitView(TemplateView):
    """Public: only the indicators this person may see appear (public ones for everyone)."""

    template_name = "indicateurs/portrait.html"

    def get_context_data(self, insee, **kwargs):
        commune = _commune(insee)
        lignes = portraits.portrait(commune, self.request.user)
        return super().get_context_data(
            commune=commune,
            lignes=lignes,
            figures=portraits.figures(commune, lignes),
            blocs=portrait_blocks.blocks_for(commune, self.request.user),
            **map_context(),
            **kwargs,
        )


@login_not_required
def portrait_export(request, insee, fmt):
    """The portrait's table as CSV or XLSX, with the indicators this person may see."""
    commune = _commune(insee)
    return exports.respond(portraits.table(commune, portraits.portrait(commune, request.user)), fmt)


@login_not_required
def portrait_pdf_download(request, insee):
    """The portrait laid out for print, with the indicators this person may see."""
    commune = _commune(insee)
    lignes = portraits.portrait(commune, request.user)
    page_url = request.build_absolute_uri(reverse("territoires:portrait", args=[insee]))
    response = HttpResponse(portrait_pdf.pdf(commune, lignes, page_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="portrait-{commune.insee}.pdf"'
    return response


def _comparison(request):
    """(metropolis, its communes, the bound form, the compared communes or None)."""
    epci = data.metropole()
    communes = data.communes_of(epci)
    # The page shows five lists named "communes": the ones left empty are dropped.
    chosen = [code for code in request.GET.getlist("communes") if code]
    form = ComparaisonForm({"communes": chosen}, communes=communes)
    compared = None
    if form.is_valid():
        by_insee = {insee: (pk, insee, nom) for pk, insee, nom in communes}
        compared = [by_insee[insee] for insee in form.cleaned_data["communes"]]
    return epci, communes, form, compared


@method_decorator(login_not_required, name="dispatch")
class ComparaisonView(TemplateView):
    """Two to five communes side by side; an empty form first, French errors for a wrong choice."""

    template_name = "indicateurs/comparaison.html"

    def get_context_data(self, **kwargs):
        epci, communes, form, compared = _comparison(self.request)
        submitted = "communes" in self.request.GET
        context = {"form": form if submitted else None, "communes": communes, "compared": []}
        context.update(lignes=[], figures={}, query="")
        if compared:
            lignes, figures = comparison.compare(compared, self.request.user, epci)
            context.update(
                compared=compared, lignes=lignes, figures=figures, query=self.request.GET.urlencode()
            )
            selected = [insee for _, insee, _ in compared]
        else:
            # "Comparer avec…" from a portrait: that commune is already in the first list.
            selected = [code for code in self.request.GET.getlist("communes") if code]
            selected = selected or [self.request.GET.get("avec", "")]
        context["selected"] = (selected + [""] * MAX_COMMUNES)[:MAX_COMMUNES]
        return super().get_context_data(**context, **kwargs)


@login_not_required
def comparaison_export(request, fmt):
    epci, _, form, compared = _comparison(request)
    if not compared:
        raise Http404(form.errors["communes"][0])
    lignes, _ = comparison.compare(compared, request.user, epci)
    return exports.respond(comparison.table(compared, lignes), fmt)


@method_decorator(login_not_required, name="dispatch")
class TableauDeBordView(TemplateView):
    """An observatory's dashboard: visible indicators only, everything else follows the filters."""

    template_name = "indicateurs/tableau_de_bord.html"

    def get_context_data(self, slug, **kwargs):
        observatoire = get_object_or_404(Observatoire, slug=slug)
        state = dashboard.resolve(self.request, observatoire)
        context = {"observatoire": observatoire, "state": state}
        if state is not None:
            table = dashboard.table(state)
            context.update(
                indicateur=state.indicateur,
                form=state.form,
                cartes=dashboard.key_figures(state),
                table=table,
                lignes=list(dashboard.display_rows(state, table)),
                summary=dashboard.summary(state.snapshot),
                geojson_url=dashboard.geojson_url(state),
                fichiers=dashboard.filenames(state),
                classement_label=dict(CLASSEMENTS)[state.values["classement"]],
                **dashboard.figures(state),
                **map_context(),
            )
        return super().get_context_data(**context, **kwargs)


@login_not_required
def tableau_de_bord_export(request, slug, fmt):
    """The dashboard's table, as shown with the same filters, in CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("Formats proposés : csv et xlsx.")
    observatoire = get_object_or_404(Observatoire, slug=slug)
    state = dashboard.resolve(request, observatoire)
    if state is None:
        raise Http404("Cet observatoire n'a pas encore de données.")
    asked = request.GET.get("indicateur")
    if asked and asked != state.indicateur.code:
        # The page falls back on another indicator with a message; a download must not.
        raise Http404("Indicateur inconnu ou réservé.")
    return exports.respond(dashboard.table(state), fmt)


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
