"""Maps without a tile server (MAP_TILES_URL empty, as in tests) draw the portal's own background."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BACKGROUND_PATHS = ".leaflet-fond-pane path"
ATTRIBUTION = ".leaflet-control-attribution"


def test_filing_map_shows_outlines_and_names_when_zoomed_into_marseille(page, live_server, territoire):
    page.goto(live_server.url + "/signalements/nouveau/")
    map_el = page.locator("#carte-signalement")
    # The whole metropolis: the 92 communes, no names yet (they would cover the map).
    expect(map_el).to_have_attribute("data-fond", "large")
    expect(page.locator(BACKGROUND_PATHS)).to_have_count(92)
    expect(map_el.locator(".map-label")).to_have_count(0)

    page.get_by_label("Rechercher une adresse ou une commune").fill("marseille")
    page.locator("#recherche-bouton").click()
    page.get_by_role("button", name="Marseille (commune)").click()
    # Street level: full outlines, Marseille's 16 arrondissements and their names.
    expect(map_el).to_have_attribute("data-fond", "fin")
    expect(page.locator(BACKGROUND_PATHS)).to_have_count(92 + 16)
    expect(map_el.locator(".map-label-arrondissement", has_text="1er arr.")).to_have_count(1)
    expect(map_el.locator(".map-label-commune", has_text="Allauch")).to_have_count(1)
    # Something is drawn on screen, not only off it.
    visible = page.evaluate(
        """() => {
          const box = document.getElementById('carte-signalement').getBoundingClientRect();
          return [...document.querySelectorAll('.leaflet-fond-pane path')].filter(p => {
            const r = p.getBoundingClientRect();
            return r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom;
          }).length;
        }"""
    )
    assert visible > 0
    expect(page.locator(ATTRIBUTION)).to_contain_text("IGN")
    expect(page.locator(ATTRIBUTION)).not_to_contain_text("OpenStreetMap")


def test_network_map_has_the_background_and_no_openstreetmap_credit(page, live_server, territoire):
    page.goto(live_server.url + "/mobilite/reseau/")
    expect(page.locator("#carte-reseau")).to_have_attribute("data-fond", "large")
    expect(page.locator(BACKGROUND_PATHS)).to_have_count(92)
    expect(page.locator(ATTRIBUTION)).not_to_contain_text("OpenStreetMap")
