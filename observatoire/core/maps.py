from django.conf import settings
from django.urls import reverse


def map_context():
    """Template context every Leaflet map of ours reads from its data- attributes.

    Without a tile server (MAP_TILES_URL empty) the maps draw the portal's own background
    (commune and arrondissement outlines) and credit no tile provider.
    """
    west, south, east, north = settings.SPATIAL_EXTENT
    tiles = bool(settings.MAP_TILES_URL)
    return {
        "map_bounds": f"{south},{west},{north},{east}",
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION if tiles else "",
        "background_url": "" if tiles else reverse("territoires-api:fond-geojson"),
    }


def tilejson_path(collection_id):
    """TileJSON of a collection's vector tiles (OGC API – Tiles, WebMercatorQuad), for static/js/tuiles.js."""
    return reverse("ogc:tiles-tilejson", args=[collection_id, "WebMercatorQuad"])
