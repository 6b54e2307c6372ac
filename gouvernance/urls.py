from django.urls import path

from . import views

app_name = "gouvernance"

urlpatterns = [
    path("", views.index, name="index"),
    path("documents/<slug:slug>/", views.document, name="document"),
    path("documents/<slug:slug>/document.pdf", views.version, name="derniere-version"),
    path("documents/<slug:slug>/versions/<int:numero>.pdf", views.version, name="version"),
    path("algorithmes/", views.algorithmes, name="algorithmes"),
    path("registre/", views.registre, name="registre"),
    path("registre/export.<str:fmt>", views.registre_export, name="registre-export"),
    path("registre/<slug:code>/", views.traitement, name="traitement"),
    path("registre/<slug:code>/fiche.pdf", views.traitement_pdf, name="traitement-pdf"),
    path("comite/", views.comites, name="comites"),
    path("comite/reunions/<int:pk>/compte-rendu.pdf", views.compte_rendu, name="compte-rendu"),
]
