from django.urls import path

from . import views

app_name = "signalements-alertes"

urlpatterns = [
    path("", views.AbonnementView.as_view(), name="abonnement"),
    path("confirmation/<str:token>/", views.ConfirmationView.as_view(), name="confirmation"),
    path("desabonnement/<str:token>/", views.DesabonnementView.as_view(), name="desabonnement"),
    path("flux.atom", views.flux, name="flux"),
]
