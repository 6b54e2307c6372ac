from django.urls import path

from . import views

app_name = "indicateurs-api"

urlpatterns = [
    path("", views.IndicateurListView.as_view(), name="liste"),
    path("<slug:code>/valeurs/", views.ValeursView.as_view(), name="valeurs"),
    path("<slug:code>/communes.geojson", views.CommunesGeoJSONView.as_view(), name="communes-geojson"),
]
