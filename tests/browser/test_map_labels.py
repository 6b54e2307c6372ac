"""Names imported from files reach the maps' tooltips and popups as text, never as HTML.

Leaflet parses a string given to bindTooltip/bindPopup as HTML: a name such as the one below
became an <img> and a <b> in the page (the CSP stopped the script, not the injection).
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from mobilite.models import Ligne
from tests.browser.test_cartes_tuiles import open_popup, wait_drawn, zoom_to
from tests.browser.test_foncier import log_in_as_agent
from tests.foncier.test_gisements import gisements_rows, write_layer
from tests.mobilite import gtfs_files

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)><b>Zone</b>"


@pytest.fixture
def dialogs(page):
    opened = []
    page.on("dialog", lambda dialog: opened.append(dialog.message) or dialog.dismiss())
    return opened


def assert_shown_as_text(page, selector, dialogs):
    overlay = page.locator(selector)
    expect(overlay).to_contain_text(HOSTILE)  # the characters themselves, < and > included
    expect(overlay.locator("img")).to_have_count(0)
    expect(overlay.locator("b")).to_have_count(0)
    expect(page.locator("img[src='x']")).to_have_count(0)
    assert dialogs == []


def test_gisement_name_in_tooltip_and_popup_is_text(page, live_server, territoire, tmp_path, dialogs):
    rows = gisements_rows()
    rows[0]["nom"] = HOSTILE
    call_command("import_gisements", str(write_layer(tmp_path, rows)), verbosity=0)
    log_in_as_agent(page, live_server.url)
    page.goto(live_server.url + "/foncier/gisements/")
    expect(page.locator("#carte-gisements")).to_have_attribute("data-gisements", "2")
    # The first parcel's shape, then its dot: both carry the name.
    for shape in page.locator("#carte-gisements path.leaflet-interactive").all():
        shape.dispatch_event("mouseover")
        tooltip = page.locator(".leaflet-tooltip", has_text="Zone")
        if tooltip.count():
            break
    assert_shown_as_text(page, ".leaflet-tooltip", dialogs)
    shape.dispatch_event("click")
    assert_shown_as_text(page, ".leaflet-popup-content", dialogs)


def test_stop_and_line_names_in_popups_are_text(page, live_server, territoire, tmp_path, dialogs):
    stops = gtfs_files.STOPS.replace(",Rotonde,", f",{HOSTILE},")
    # Both lines of the stop, which share a street there: whichever a click finds shows the name.
    routes = gtfs_files.ROUTES.replace("Rotonde – Gare routière", HOSTILE).replace("Aix – Marseille", HOSTILE)
    call_command(
        "import_gtfs", gtfs_files.write_zip(tmp_path / "gtfs.zip", stops_txt=stops, routes_txt=routes)
    )
    page.goto(live_server.url + "/mobilite/reseau/")
    # Stops and lines are vector tiles drawn by MapLibre; a click opens a Leaflet popup.
    wait_drawn(page, "carte-reseau", ["reseau-arrets"], 3)
    open_popup(page, "carte-reseau", "reseau-arrets", HOSTILE, {"nom": HOSTILE})
    assert_shown_as_text(page, ".leaflet-popup-content >> nth=-1", dialogs)
    page.locator(".leaflet-popup-close-button").click()
    # Close enough for the line to show between its stops.
    line = Ligne.objects.get(route_id="L1").geom.transform(4326, clone=True)
    middle = line.interpolate_normalized(0.25)
    zoom_to(page, "carte-reseau", middle.y, middle.x, 17)
    wait_drawn(page, "carte-reseau", ["reseau-lignes"])
    open_popup(page, "carte-reseau", "reseau-lignes", HOSTILE, {"nom_long": HOSTILE})
    assert_shown_as_text(page, ".leaflet-popup-content >> nth=-1", dialogs)
