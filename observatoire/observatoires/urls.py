from django.urls import path

from observatoire.indicateurs.embeds import carte_embed
from observatoire.indicateurs.views import CarteIndicateurView, TableauDeBordView, tableau_de_bord_export

from . import views

app_name = "observatoires"

urlpatterns = [
    path("", views.ObservatoireListView.as_view(), name="liste"),
    path("contenus/<int:pk>/telecharger/", views.telecharger, name="telecharger"),
    path("indicateurs/<slug:code>/carte/", CarteIndicateurView.as_view(), name="carte-indicateur"),
    path("<slug:slug>/", views.ObservatoireDetailView.as_view(), name="detail"),
    path("<slug:slug>/tableau-de-bord/", TableauDeBordView.as_view(), name="tableau-de-bord"),
    path("<slug:slug>/tableau-de-bord/integrer/", carte_embed, name="carte-integrer"),
    path(
        "<slug:slug>/tableau-de-bord/donnees.<str:fmt>",
        tableau_de_bord_export,
        name="tableau-de-bord-export",
    ),
]
