from django.urls import path

from . import views

app_name = "territoires"

urlpatterns = [
    path("comparer/", views.ComparaisonView.as_view(), name="comparer"),
    path("comparer/comparaison.csv", views.comparaison_export, name="comparer-csv"),
    path("<str:insee>/", views.PortraitView.as_view(), name="portrait"),
    path("<str:insee>/portrait.csv", views.portrait_export, name="portrait-csv"),
]
