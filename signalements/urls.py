from django.urls import include, path

from . import views
from .backoffice import views as gestion
from .reponses import urls as reponses_urls
from .satisfaction import views as satisfaction

app_name = "signalements"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("nouveau/", views.SignalerView.as_view(), name="signaler"),
    path("hors-ligne/", include("signalements.hors_ligne.urls")),
    path("suivi/<str:token>/", views.SuiviView.as_view(), name="suivi"),
    path("suivi/<str:token>/rouvrir/", views.RouvrirView.as_view(), name="rouvrir"),
    path("suivi/<str:token>/avis/", satisfaction.AvisView.as_view(), name="avis"),
    path("suivi/<str:token>/photos/<int:pk>/", views.photo, name="suivi-photo"),
    path(
        "suivi/<str:token>/photos/<int:pk>/vignette/", views.photo, {"thumbnail": True}, name="suivi-vignette"
    ),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/vignette/", views.photo, {"thumbnail": True}, name="vignette"),
    path("<int:pk>/soutenir/", views.SoutenirView.as_view(), name="soutenir"),
    path("mes-signalements/", views.MesSignalementsView.as_view(), name="mes-signalements"),
    path("gestion/", gestion.TriageQueueView.as_view(), name="gestion-tri"),
    path("gestion/service/", gestion.ServiceQueueView.as_view(), name="gestion-service"),
    path("gestion/modeles/", include(reponses_urls)),
    path("gestion/categories/", gestion.CategorySettingsView.as_view(), name="gestion-categories"),
    path(
        "gestion/categories/<str:insee>/",
        gestion.CategorySettingsView.as_view(),
        name="gestion-categories-commune",
    ),
    path("gestion/<int:pk>/", gestion.ReportManageView.as_view(), name="gestion-detail"),
    path("gestion/<int:pk>/transition/", gestion.TransitionView.as_view(), name="gestion-transition"),
    path("gestion/<int:pk>/requalifier/", gestion.RequalifyView.as_view(), name="gestion-requalifier"),
    path("gestion/<int:pk>/photo/", gestion.AfterPhotoView.as_view(), name="gestion-photo"),
    path("", include("signalements.liaisons.urls")),
]
