from django.urls import path

from . import acces_views as views

app_name = "acces"

urlpatterns = [
    path("catalogue/", views.MetaCatalogueView.as_view(), name="catalogue"),
    path("catalogue/<slug:slug>/", views.JeuCatalogueView.as_view(), name="jeu"),
    path("catalogue/<slug:slug>/demander/", views.DemandeCreateView.as_view(), name="demander"),
    path("catalogue/<slug:slug>/telecharger/", views.TelechargerView.as_view(), name="telecharger"),
    path("acces/mes-demandes/", views.MesDemandesView.as_view(), name="mes-demandes"),
    path("acces/demandes/", views.DemandesAInstruireView.as_view(), name="demandes"),
    path("acces/demandes/<int:pk>/decider/", views.DecisionView.as_view(), name="decider"),
    path("acces/demandes/<int:pk>/revoquer/", views.RevokeView.as_view(), name="revoquer"),
    path("acces/jeton/", views.JetonView.as_view(), name="jeton"),
    path("telechargements/", views.AuditView.as_view(), name="audit"),
]
