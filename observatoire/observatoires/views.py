from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from observatoire.indicateurs.dashboard import KEY_FIGURES, dashboard_indicateurs
from observatoire.indicateurs.data import key_figures, metropole

from .models import Contenu, Observatoire


@method_decorator(login_not_required, name="dispatch")
class ObservatoireListView(ListView):
    """Public: every observatory with its status; contents are filtered on each observatory page."""

    model = Observatoire
    template_name = "observatoires/liste.html"
    context_object_name = "observatoires"


@method_decorator(login_not_required, name="dispatch")
class ObservatoireDetailView(DetailView):
    """Rubriques and the contents this person may see; the others are counted, never shown."""

    model = Observatoire
    template_name = "observatoires/detail.html"
    context_object_name = "observatoire"

    def get_context_data(self, **kwargs):
        # Only this observatory's contents: visible_to checks the row gate of each one it is given.
        visibles = Contenu.objects.filter(rubrique__observatoire=self.object).visible_to(self.request.user)
        rubriques = self.object.rubriques.prefetch_related(
            Prefetch("contenus", queryset=visibles, to_attr="visibles")
        ).annotate(reserves=Count("contenus", filter=~Q(contenus__in=visibles.values("pk"))))
        indicateurs = dashboard_indicateurs(self.object, self.request.user)
        return super().get_context_data(
            rubriques=rubriques,
            reserves=sum(r.reserves for r in rubriques),
            chiffres_cles=key_figures(indicateurs[:KEY_FIGURES], metropole()) if indicateurs else [],
            **kwargs,
        )


@login_not_required
def telecharger(request, pk):
    """The file of a content, only for those its visibility admits (checked here, not by the URL)."""
    contenu = get_object_or_404(Contenu.objects.select_related("rubrique"), pk=pk)
    if not contenu.is_download or not contenu.fichier:
        raise Http404
    if not contenu.is_visible_to(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return FileResponse(
        contenu.fichier.open("rb"), as_attachment=True, filename=contenu.fichier.name.rsplit("/", 1)[-1]
    )
