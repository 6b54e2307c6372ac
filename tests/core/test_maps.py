from observatoire.core.maps import map_context


def test_without_tiles_the_maps_draw_our_background_and_credit_no_tile_provider(settings):
    settings.MAP_TILES_URL = ""
    context = map_context()
    assert context["tiles_url"] == ""
    assert context["tiles_attribution"] == ""  # was "© contributeurs OpenStreetMap"
    assert context["background_url"] == "/api/v1/territoire/fond.geojson"


def test_with_tiles_the_maps_credit_them_and_draw_no_background(settings):
    settings.MAP_TILES_URL = "https://data.geopf.fr/wmts?LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
    settings.MAP_TILES_ATTRIBUTION = "&copy; IGN – Plan IGN v2"
    context = map_context()
    assert context["tiles_attribution"] == "&copy; IGN – Plan IGN v2"
    assert context["background_url"] == ""
