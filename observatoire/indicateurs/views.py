from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from observatoire.core.maps import map_context
from observatoire.territoires.models import Commune

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
