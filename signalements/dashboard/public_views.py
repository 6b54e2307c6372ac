"""The public map of reports and its GeoJSON: open to everyone, so no personal data at all."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from observatoire.core.maps import map_context, tilejson_path

from ..clusters import STATUS_GROUPS
from ..enums import Status
from . import geojson, stats
from .forms import GeoJSONParamsForm, PublicMapForm


@method_decorator(login_not_required, name="dispatch")
class CarteView(TemplateView):
    template_name = "signalements/carte.html"

    def get_context_data(self, **kwargs):
        form = PublicMapForm.from_query(self.request.GET)
        values = form.values()
        params = {"status": values["status"]}
        if values["categorie"] is not None:
            params["categorie"] = values["categorie"].code
        reports = stats.scoped_reports(categorie=values["categorie"])
        return super().get_context_data(
            form=form,
            values=values,
            geojson_url=f"{reverse('signalements-api:clusters')}?{urlencode(params)}",
            download_url=f"{reverse('signalements-carte:geojson')}?{urlencode(params)}",
            # At street zoom the reports come as vector tiles, filtered in the browser like the clusters.
            tuiles_url=tilejson_path("signalements"),
            tuiles_statuts=",".join(STATUS_GROUPS[values["status"]]),
            tuiles_categorie=params.get("categorie", ""),
            status_labels=dict(Status.choices),
            counts=stats.status_counts_by_commune(reports),
            **map_context(),
            **kwargs,
        )


@login_not_required
@require_GET
def signalements_geojson(request):
    """``?status=ouverts|resolus|tous&categorie=<code>&commune=<insee>&bbox=ouest,sud,est,nord``."""
    form = GeoJSONParamsForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {"detail": form.first_error()}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    payload = geojson.feature_collection(**form.cleaned_data)
    return HttpResponse(payload, content_type="application/geo+json")
