from django.urls import path

from observatoire.core.views import PublicPageView

app_name = "signalements"

urlpatterns = [
    path("", PublicPageView.as_view(template_name="signalements/index.html"), name="index"),
]
