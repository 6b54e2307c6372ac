from django.urls import path

from . import public_views

app_name = "signalements-carte"

urlpatterns = [
    path("", public_views.CarteView.as_view(), name="carte"),
    path("signalements.geojson", public_views.signalements_geojson, name="geojson"),
]
