from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("health/", views.health, name="health"),
    path(
        "mentions-legales/",
        views.PublicPageView.as_view(template_name="core/mentions_legales.html"),
        name="mentions-legales",
    ),
    path(
        "accessibilite/",
        views.PublicPageView.as_view(template_name="core/accessibilite.html"),
        name="accessibilite",
    ),
    path(
        "donnees-personnelles/",
        views.PublicPageView.as_view(template_name="core/donnees_personnelles.html"),
        name="donnees-personnelles",
    ),
]
