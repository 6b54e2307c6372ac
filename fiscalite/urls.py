from django.urls import path

from . import views

app_name = "fiscalite"

urlpatterns = [
    path("tableau-de-bord/", views.TableauDeBordView.as_view(), name="tableau-de-bord"),
    path("tableau-de-bord/donnees.<str:fmt>", views.tableau_de_bord_export, name="tableau-de-bord-export"),
]

# Mounted under /api/v1/fiscalite/ (namespace « fiscalite-api »).
api_urlpatterns = []
