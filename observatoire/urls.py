from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from environnement.urls import api_urlpatterns as environnement_api
from fiscalite.urls import api_urlpatterns as fiscalite_api
from foncier.urls import api_urlpatterns as foncier_api

admin.site.site_header = "Administration de l'Observatoire métropolitain"
admin.site.site_title = "Observatoire métropolitain"


api_v1 = [
    path("territoire/", include("observatoire.territoires.api.urls")),
    path("signalements/", include("signalements.api.urls")),
    path("observatoires/", include("observatoire.observatoires.api.urls")),
    path("indicateurs/", include("observatoire.indicateurs.api.urls")),
    path("catalogue/", include("gouvernance.api_urls")),
    path("mobilite/", include("mobilite.api.urls")),
    path("foncier/", include((foncier_api, "foncier-api"))),
    path("fiscalite/", include((fiscalite_api, "fiscalite-api"))),
    path("environnement/", include((environnement_api, "environnement-api"))),
    path("opendata/", include("observatoire.opendata.api.urls")),
]

urlpatterns = [
    path("", include("observatoire.core.urls")),
    path("comptes/second-facteur/", include("observatoire.mfa.urls")),
    # Before the accounts: its logout/ also ends the ProConnect or FranceConnect session.
    path("comptes/", include("observatoire.identite.urls")),
    path("comptes/", include("observatoire.accounts.urls")),
    path("connexions/", include("observatoire.connexions.urls")),
    path("observatoires/", include("observatoire.observatoires.urls")),
    path("territoires/", include("observatoire.indicateurs.urls")),
    path("signalements/tableau-de-bord/", include("signalements.dashboard.urls")),
    path("signalements/carte/", include("signalements.dashboard.public_urls")),
    path("signalements/alertes/", include("signalements.alertes.urls")),
    path("signalements/", include("signalements.urls")),
    path("open311/v2/", include("signalements.open311.urls")),
    path("gouvernance/", include("gouvernance.acces_urls")),
    path("gouvernance/", include("gouvernance.urls")),
    path("mobilite/", include("mobilite.urls")),
    path("foncier/", include("foncier.urls")),
    path("fiscalite/", include("fiscalite.urls")),
    path("environnement/", include("environnement.urls")),
    path("opendata/", include("observatoire.opendata.urls")),
    path("recherche/", include("observatoire.recherche.urls")),
    path("ogc/", include("observatoire.ogc.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "api/docs/",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

# French pages in the portal's layout; JSON under /api/ (observatoire/core/errors.py).
handler400 = "observatoire.core.errors.bad_request"
handler403 = "observatoire.core.errors.permission_denied"
handler404 = "observatoire.core.errors.page_not_found"
handler500 = "observatoire.core.errors.server_error"
