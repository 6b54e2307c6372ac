from django.urls import path

from . import views

# Included in signalements/urls.py, under the « signalements » namespace.
urlpatterns = [
    path("liaisons/<int:pk>/evenements/", views.EvenementsView.as_view(), name="liaison-evenements"),
    path("gestion/envois/", views.EnvoiListView.as_view(), name="liaisons-envois"),
    path("gestion/envois/<int:pk>/reessayer/", views.RetryView.as_view(), name="liaisons-reessayer"),
]
