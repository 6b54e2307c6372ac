"""Patterns relative to ``/ogc/``: ``path("", include("observatoire.ogc.csw_urls"))`` in ``ogc.urls``."""

from django.urls import path

from . import csw_views

urlpatterns = [
    path("csw", csw_views.endpoint, name="csw"),
    path("metadonnees/<slug:slug>.xml", csw_views.record, name="metadonnees"),
]
