from django.urls import path

from . import views

app_name = "environnement"

urlpatterns = [
    path("tableau-de-bord/", views.TableauDeBordView.as_view(), name="tableau-de-bord"),
    path("carte-risques/", views.CarteRisquesView.as_view(), name="carte-risques"),
    path("carte-espaces-naturels/", views.CarteEspacesView.as_view(), name="carte-espaces"),
]

# Mounted under /api/v1/environnement/ (namespace « environnement-api »).
api_urlpatterns = [
    path("espaces-naturels.geojson", views.espaces_naturels_geojson, name="espaces-naturels-geojson"),
]
