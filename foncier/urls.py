from django.urls import path

from . import views

app_name = "foncier"

urlpatterns = [
    path("gisements/", views.GisementsView.as_view(), name="gisements"),
    path("zan/", views.ZanView.as_view(), name="zan"),
]

# Mounted under /api/v1/foncier/ (namespace « foncier-api »).
api_urlpatterns = [
    path("gisements.geojson", views.gisements_geojson, name="gisements-geojson"),
    path("zones-plu.geojson", views.zones_geojson, name="zones-geojson"),
    path("zan/", views.zan_api, name="zan"),
]
