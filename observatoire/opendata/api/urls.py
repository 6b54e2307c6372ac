from django.urls import path

from . import views

app_name = "opendata-api"

urlpatterns = [
    path("", views.JeuxTabulairesView.as_view(), name="jeux"),
    path("<slug:slug>/", views.ProfilView.as_view(), name="profil"),
    path("<slug:slug>/lignes/", views.LignesView.as_view(), name="lignes"),
    path("<slug:slug>/lignes/csv/", views.LignesCSVView.as_view(), name="lignes-csv"),
]
