from django.conf import settings


def map_context():
    """Template context every Leaflet map of ours reads from its data- attributes."""
    west, south, east, north = settings.SPATIAL_EXTENT
    return {
        "map_bounds": f"{south},{west},{north},{east}",
        "tiles_url": settings.MAP_TILES_URL,
        "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
    }
