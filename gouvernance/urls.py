from django.urls import path

from observatoire.core.views import PublicPageView

app_name = "gouvernance"

urlpatterns = [
    path("", PublicPageView.as_view(template_name="gouvernance/index.html"), name="index"),
]
