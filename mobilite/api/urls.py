from django.urls import path

from . import views

app_name = "mobilite-api"

urlpatterns = [
    path("arrets.geojson", views.ArretsGeoJSONView.as_view(), name="arrets"),
    path("lignes.geojson", views.LignesGeoJSONView.as_view(), name="lignes"),
    path("flux.geojson", views.FluxGeoJSONView.as_view(), name="flux"),
]
