"""The portal's URLs with the CSW patterns under /ogc/, for the CSW tests until ``ogc.urls`` includes them."""

from django.urls import include, path

from observatoire.urls import handler400, handler403, handler404, handler500  # noqa: F401 - Django reads them
from observatoire.urls import urlpatterns as portal

urlpatterns = [path("ogc/", include("observatoire.ogc.csw_urls")), *portal]
