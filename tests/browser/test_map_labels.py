"""Names imported from files reach the maps' tooltips and popups as text, never as HTML.

Leaflet parses a string given to bindTooltip/bindPopup as HTML: a name such as the one below
became an <img> and a <b> in the page (the CSP stopped the script, not the injection).
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

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


def test_stop_and_line_names_in_tooltips_are_text(page, live_server, territoire, tmp_path, dialogs):
    stops = gtfs_files.STOPS.replace(",Rotonde,", f",{HOSTILE},")
    routes = gtfs_files.ROUTES.replace("Rotonde – Gare routière", HOSTILE)
    call_command(
        "import_gtfs", gtfs_files.write_zip(tmp_path / "gtfs.zip", stops_txt=stops, routes_txt=routes)
    )
    page.goto(live_server.url + "/mobilite/reseau/")
    expect(page.locator("#carte-reseau")).to_have_attribute("data-arrets", "3")
    shapes = page.locator("#carte-reseau path.leaflet-interactive")
    labelled = 0
    for index in range(shapes.count()):
        shapes.nth(index).dispatch_event("mouseover")
        tooltip = page.locator(".leaflet-tooltip")
        if "Zone" in (tooltip.last.text_content() if tooltip.count() else ""):
            assert_shown_as_text(page, ".leaflet-tooltip >> nth=-1", dialogs)
            labelled += 1
        shapes.nth(index).dispatch_event("mouseout")
    assert labelled == 2  # the stop « Rotonde » and the line 1
