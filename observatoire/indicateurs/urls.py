from django.urls import path

from . import views

app_name = "territoires"

urlpatterns = [path("<str:insee>/", views.PortraitView.as_view(), name="portrait")]
