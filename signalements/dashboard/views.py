"""The reports dashboard, for the metropolis or one commune.

Who sees what is decided by ``observatoire.accounts.perms`` only: the capability
``view_report_dashboard`` and the user's communes. Anonymous visitors never get here
(LoginRequiredMiddleware sends them to the login page).
"""

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import Transform
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability
from observatoire.core.maps import map_context
from observatoire.territoires.models import Commune

from ..enums import Status
from ..satisfaction.stats import dashboard_block as satisfaction_block
from . import charts, hotspots, snapshots, stats
from .forms import DashboardFilterForm

DENIED = "Votre compte ne donne pas accès au tableau de bord des signalements de ce territoire."


class DashboardView(TemplateView):
    template_name = "signalements/tableau_de_bord.html"

    def dispatch(self, request, insee=None):
        user = request.user
        if not perms.has_capability(user, Capability.VIEW_REPORT_DASHBOARD):
            raise PermissionDenied(DENIED)
        self.metropolitan = perms.has_metropolitan_scope(user)
        if insee is None:
            self.commune = None
            if not self.metropolitan:
                return self.redirect_to_own_commune(request)
        else:
            self.commune = get_object_or_404(Commune.objects.defer("geom"), insee=insee)
            if not perms.can(user, Capability.VIEW_REPORT_DASHBOARD, commune=self.commune):
                raise PermissionDenied(DENIED)
        return super().dispatch(request)

    def redirect_to_own_commune(self, request):
        """A communal user asking for the metropolis gets his commune, filters kept."""
        commune = perms.communes_in_scope(request.user).order_by("nom").first()
        if commune is None:
            raise PermissionDenied(DENIED)
        url = reverse("signalements-dashboard:commune", kwargs={"insee": commune.insee})
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)

    def get_context_data(self, **kwargs):
        form = DashboardFilterForm.from_query(self.request.GET)
        values = form.values()
        categorie = values["categorie"]
        data = dashboard_data(self.commune, values)
        context = super().get_context_data(
            commune=self.commune,
            form=form,
            values=values,
            **data,
            hotspot_limit=hotspots.LIMIT,
            computed_at_datetime=datetime.fromtimestamp(data["computed_at"], tz=UTC),
            fresh_minutes=snapshots.FRESH_SECONDS // 60,
            fragment_seconds=snapshots.KEEP_SECONDS,
            geojson_url=open_reports_url(self.commune, categorie),
            status_labels=dict(Status.choices),
            other_communes=self.other_communes(),
            metropolitan=self.metropolitan,
            **map_context(),
            **kwargs,
        )
        if self.commune is not None:
            context["map_bounds"] = commune_bounds(self.commune) or context["map_bounds"]
        return context

    def other_communes(self):
        """The communes a communal user may switch to (metropolitan users use the table)."""
        if self.metropolitan:
            return []
        return list(self.request.user.communes.order_by("nom").only("insee", "nom"))


def dashboard_data(commune, values, refresh=False):
    """The snapshot of this scope and filters (see ``snapshots``): served from the cache, refreshed
    by Celery once older than ``snapshots.FRESH_SECONDS``, computed here only when there is none."""
    key = snapshots.snapshot_key(commune, values)
    data = None if refresh else cache.get(key)
    if data is None:
        return snapshots.store(key, compute_dashboard(commune, values))
    if snapshots.is_stale(data):
        snapshots.ask_refresh(commune, values, key)
    return data


def compute_dashboard(commune, values):
    categorie = values["categorie"]
    period = stats.period(values["periode"])
    reports = stats.scoped_reports(commune, categorie)
    monthly = stats.volumes_by_month(reports, period)
    statuses = stats.volumes_by_status(reports, period)
    by_category = stats.delays_by_category(reports, period)
    by_service = stats.delays_by_service(reports, period)
    spots = hotspots.find_hotspots(
        commune=commune,
        categorie=categorie,
        eps=values["rayon"],
        minpoints=values["minimum"],
        days=values["jours"],
    )
    figures = {}
    if monthly["series"]:
        figures["volumes"] = charts.as_data(charts.volumes_by_month(monthly))
    if statuses:
        figures["statuts"] = charts.as_data(charts.volumes_by_status(statuses))
    if by_category:
        figures["delais_categories"] = charts.as_data(charts.delays(by_category))
    if by_service:
        figures["delais_services"] = charts.as_data(charts.delays(by_service))
    satisfaction = satisfaction_block(commune, categorie, period)
    if satisfaction["figure"]:
        figures["satisfaction"] = satisfaction["figure"]
    return {
        "periode": period,
        "kpis": stats.kpis(reports, period),
        "monthly_rows": monthly_table(monthly),
        "monthly_series": [serie["nom"] for serie in monthly["series"]],
        "statuses": statuses,
        "delay_blocks": [
            {
                "titre": "Par catégorie",
                "entete": "Catégorie",
                "figure": "delais_categories",
                "rows": by_category,
            },
            {"titre": "Par service", "entete": "Service", "figure": "delais_services", "rows": by_service},
        ],
        "by_commune": stats.by_commune(reports, period) if commune is None else [],
        "hotspots": spots,
        "satisfaction": satisfaction,
        "hotspots_geojson": hotspots.feature_collection(spots),
        "figures": figures,
    }


def monthly_table(monthly):
    """Rows (month, values per category, total) for the table under the stacked bars."""
    rows = []
    for i, mois in enumerate(monthly["mois"]):
        values = [serie["valeurs"][i] for serie in monthly["series"]]
        rows.append({"mois": mois, "valeurs": values, "total": sum(values)})
    return rows


def open_reports_url(commune, categorie):
    """The clustered map endpoint, restricted to open reports of this dashboard's scope."""
    params = {"status": "ouverts"}
    if commune is not None:
        params["commune"] = commune.insee
    if categorie is not None:
        params["categorie"] = categorie.code
    return f"{reverse('signalements-api:clusters')}?{urlencode(params)}"


def commune_bounds(commune):
    """ "south,west,north,east" of the commune in WGS84, as map_context() gives the metropolis."""
    extent = Commune.objects.filter(pk=commune.pk).aggregate(box=Extent(Transform("geom", 4326)))["box"]
    if extent is None:
        return None
    west, south, east, north = extent
    return f"{south},{west},{north},{east}"
