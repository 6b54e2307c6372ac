from django.urls import path, register_converter

from . import schema_views, views


class FormatConverter:
    regex = "csv|geojson|parquet"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class RdfConverter(FormatConverter):
    regex = "jsonld|ttl|rdf"


register_converter(FormatConverter, "fichier")
register_converter(RdfConverter, "rdf")

app_name = "opendata"

urlpatterns = [
    path("", views.CatalogueView.as_view(), name="liste"),
    path("catalog.<rdf:extension>", views.catalogue_dcat, name="dcat"),
    path("<slug:slug>/", views.JeuView.as_view(), name="jeu"),
    path("<slug:slug>/publier/", views.PublierView.as_view(), name="publier"),
    path("<slug:slug>/telecharger/<fichier:format>/", views.telecharger, name="telecharger"),
    path("<slug:slug>/v<int:version>/<fichier:format>/", views.telecharger, name="version"),
    # The Table Schema: the latest version's (stable address, dct:conformsTo), and each version's.
    path("<slug:slug>/schema.json", schema_views.schema, name="schema"),
    path("<slug:slug>/v<int:version>/schema.json", schema_views.schema, name="schema_version"),
]
