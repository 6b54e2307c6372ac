from django.urls import path

from . import views

app_name = "observatoires"

urlpatterns = [
    path("", views.ObservatoireListView.as_view(), name="liste"),
    path("contenus/<int:pk>/telecharger/", views.telecharger, name="telecharger"),
    path("<slug:slug>/", views.ObservatoireDetailView.as_view(), name="detail"),
]
