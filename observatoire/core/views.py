from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Sum
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from observatoire.territoires.models import Commune, Epci

from .health import run_checks
from .maps import map_context


@method_decorator(login_not_required, name="dispatch")
class PublicPageView(TemplateView):
    """A page anyone may read; every other page needs a login."""


class HomeView(PublicPageView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        epci = (
            Epci.objects.filter(siren=settings.METROPOLE_EPCI_SIREN)
            .annotate(nb_communes=Count("communes"), habitants=Sum("communes__population"))
            .first()
        )
        return super().get_context_data(
            epci=epci,
            communes=Commune.objects.filter(epci=epci).only("nom", "insee", "population") if epci else [],
            **map_context(),
            **kwargs,
        )


@never_cache
@login_not_required
def health(request):
    healthy, report = run_checks()
    return JsonResponse(report, status=200 if healthy else 503)
