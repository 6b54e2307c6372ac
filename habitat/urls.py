from django.urls import path

from observatoire.core.views import PublicPageView

app_name = "habitat"

urlpatterns = [
    path("", PublicPageView.as_view(template_name="habitat/index.html"), name="index"),
]
