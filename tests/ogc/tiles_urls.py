"""The site's URLs with the tiles in the "ogc" namespace, included by observatoire.ogc.urls or not."""

from django.urls import include, path

from observatoire.ogc import tile_urls
from observatoire.ogc import urls as ogc_urls
from observatoire.urls import urlpatterns as site

features = [p for p in ogc_urls.urlpatterns if getattr(p, "urlconf_module", None) is not tile_urls]
urlpatterns = [path("ogc/", include(([*tile_urls.urlpatterns, *features], "ogc"))), *site]
