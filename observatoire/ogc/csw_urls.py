"""CSW and ISO records, relative to /ogc/; included by ``observatoire.ogc.urls`` in its "ogc" namespace."""

from django.urls import path

from . import csw_views

urlpatterns = [
    path("csw", csw_views.endpoint, name="csw"),
    path("metadonnees/<slug:slug>.xml", csw_views.record, name="metadonnees"),
]
