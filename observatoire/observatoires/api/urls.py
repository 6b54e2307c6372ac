from django.urls import path

from . import views

app_name = "observatoires-api"

urlpatterns = [path("contenus/", views.ContenuListView.as_view(), name="contenus")]
