from django.urls import path

from . import views

app_name = "recherche"

urlpatterns = [path("", views.RechercheView.as_view(), name="resultats")]
