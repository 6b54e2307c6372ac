"""OGC API – Tiles, relative to /ogc/; included by ``observatoire.ogc.urls`` in its "ogc" namespace."""

from django.urls import path

from . import tile_views

urlpatterns = [
    path("tileMatrixSets", tile_views.tile_matrix_sets, name="tiles-matrix-sets"),
    path("tileMatrixSets/<str:tms>", tile_views.tile_matrix_set_view, name="tiles-matrix-set"),
    path("collections/<str:collection_id>/tiles", tile_views.tilesets, name="tiles-tilesets"),
    path("collections/<str:collection_id>/tiles/<str:tms>", tile_views.tileset, name="tiles-tileset"),
    path(
        "collections/<str:collection_id>/tiles/<str:tms>/tilejson.json",
        tile_views.tilejson,
        name="tiles-tilejson",
    ),
    path(
        "collections/<str:collection_id>/tiles/<str:tms>/<str:z>/<str:y>/<str:x>",
        tile_views.tile,
        name="tiles-tile",
    ),
]
