from django.urls import path

from . import views

app_name = "mobilite"

urlpatterns = [
    path("reseau/", views.ReseauView.as_view(), name="reseau"),
    path("flux/", views.FluxView.as_view(), name="flux"),
]
