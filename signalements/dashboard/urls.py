from django.urls import path

from . import views

app_name = "signalements-dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="metropole"),
    path("<str:insee>/", views.DashboardView.as_view(), name="commune"),
]
