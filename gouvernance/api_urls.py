from django.urls import path

from .api import TelechargementAPIView

app_name = "catalogue-api"

urlpatterns = [path("<slug:slug>/telecharger/", TelechargementAPIView.as_view(), name="telecharger")]
