from django.urls import path

from . import views

# Included by signalements.urls under gestion/modeles/ (namespace « signalements »).
urlpatterns = [
    path("", views.ModeleListView.as_view(), name="gestion-modeles"),
    path("nouveau/", views.ModeleCreateView.as_view(), name="gestion-modele-nouveau"),
    path("<int:pk>/", views.ModeleUpdateView.as_view(), name="gestion-modele"),
    path("<int:pk>/activation/", views.ModeleActivationView.as_view(), name="gestion-modele-activation"),
]
