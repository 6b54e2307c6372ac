from django.urls import path

from . import dvf_carte, views

app_name = "foncier"

urlpatterns = [
    path("gisements/", views.GisementsView.as_view(), name="gisements"),
    path("zan/", views.ZanView.as_view(), name="zan"),
    path("dvf/carte/", dvf_carte.DvfCarteView.as_view(), name="dvf-carte"),
]

# Mounted under /api/v1/foncier/ (namespace « foncier-api »).
api_urlpatterns = [
    path("gisements.geojson", views.gisements_geojson, name="gisements-geojson"),
    path("zones-plu.geojson", views.zones_geojson, name="zones-geojson"),
    path("zan/", views.zan_api, name="zan"),
]
