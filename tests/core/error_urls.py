"""The portal's URLs plus views that fail on purpose, to see the error pages a visitor gets."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.urls import path

from observatoire.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


@login_not_required
def boom(request):
    raise RuntimeError("panne de test")


@login_not_required
def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("test-erreur/", boom), path("test-interdit/", forbidden), *urlpatterns]
