from django.urls import path

from observatoire.core.views import PublicPageView

app_name = "mobilite"

urlpatterns = [
    path("", PublicPageView.as_view(template_name="mobilite/index.html"), name="index"),
]
