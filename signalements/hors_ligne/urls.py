from django.urls import path

from . import views

# Included by signalements.urls under hors-ligne/: names are signalements:hors-ligne-*.
urlpatterns = [
    path("sw.js", views.service_worker, name="hors-ligne-sw"),
    path("manifest.webmanifest", views.manifest, name="hors-ligne-manifest"),
    path("session.json", views.session, name="hors-ligne-session"),
    path("envoi/", views.EnvoiView.as_view(), name="hors-ligne-envoi"),
]
