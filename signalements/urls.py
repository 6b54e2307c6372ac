from django.urls import path

from . import views

app_name = "signalements"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("nouveau/", views.SignalerView.as_view(), name="signaler"),
    path("suivi/<str:token>/", views.SuiviView.as_view(), name="suivi"),
    path("suivi/<str:token>/rouvrir/", views.RouvrirView.as_view(), name="rouvrir"),
    path("<int:pk>/soutenir/", views.SoutenirView.as_view(), name="soutenir"),
    path("mes-signalements/", views.MesSignalementsView.as_view(), name="mes-signalements"),
]
