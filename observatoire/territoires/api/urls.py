from django.urls import path

from . import views

app_name = "territoires-api"

urlpatterns = [
    path("communes.geojson", views.CommunesGeoJSONView.as_view(), name="communes-geojson"),
    path("recherche/", views.PlaceSearchView.as_view(), name="recherche"),
]
