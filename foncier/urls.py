from django.urls import path

from observatoire.core.views import PublicPageView

app_name = "foncier"

urlpatterns = [
    path("", PublicPageView.as_view(template_name="foncier/index.html"), name="index"),
]
