from django.urls import path

from . import views

app_name = "territoires-api"

urlpatterns = [
    path("communes.geojson", views.CommunesGeoJSONView.as_view(), name="communes-geojson"),
    path("fond.geojson", views.BackgroundGeoJSONView.as_view(), name="fond-geojson"),
    path("recherche/", views.PlaceSearchView.as_view(), name="recherche"),
]
