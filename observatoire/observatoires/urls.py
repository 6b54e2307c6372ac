from django.urls import path

from observatoire.indicateurs.views import CarteIndicateurView

from . import views

app_name = "observatoires"

urlpatterns = [
    path("", views.ObservatoireListView.as_view(), name="liste"),
    path("contenus/<int:pk>/telecharger/", views.telecharger, name="telecharger"),
    path("indicateurs/<slug:code>/carte/", CarteIndicateurView.as_view(), name="carte-indicateur"),
    path("<slug:slug>/", views.ObservatoireDetailView.as_view(), name="detail"),
]
