from django.urls import path

from . import views

app_name = "identite"

urlpatterns = [
    # Included before django.contrib.auth's URLs: the logout button ({% url 'logout' %}) lands here,
    # which also ends the provider's session when the user came through it.
    path("logout/", views.deconnexion, name="deconnexion"),
    # The post-logout redirect URI to register (before the provider patterns, which it would match).
    path("deconnexion/retour/", views.deconnexion_retour, name="deconnexion-retour"),
    path("<slug:slug>/connexion/", views.connexion, name="connexion"),
    # The redirect URI to register with ProConnect / FranceConnect.
    path("<slug:slug>/retour/", views.retour, name="retour"),
]
