"""The environnement pages in Chromium with the demo data: maps and charts drawn, no WCAG 2.1 A/AA
violation found by axe-core, nothing wider than a 320 px screen. ``ENV_SCREENSHOTS=<folder>``
also saves what they look like."""

import os
from pathlib import Path

import pytest

from environnement.demo import load_demo_environnement
from foncier.demo_foncier import load_demo_foncier
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser
PAGES = {
    "tableau-de-bord": ("/environnement/tableau-de-bord/", "#graphique-catnat[data-rendered=true]"),
    "carte-risques": ("/environnement/carte-risques/", "#carte-indicateur path.leaflet-interactive"),
    "carte-espaces": ("/environnement/carte-espaces-naturels/", "#carte-espaces[data-rendered=true]"),
    "portrait": ("/territoires/13001/#bloc-environnement", "#bloc-environnement"),
}


@pytest.fixture
def portal(live_server, territoire, tmp_path):
    load_demo_environnement(tmp_path)
    load_demo_foncier(tmp_path)  # the Cerema's land consumption, shown on the dashboard
    return live_server.url


@pytest.mark.parametrize("width", [1280, 320])
def test_pages_draw_and_pass_axe(browser, portal, width):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    shots = os.environ.get("ENV_SCREENSHOTS")
    for name, (path, drawn) in PAGES.items():
        page.goto(portal + path)
        page.wait_for_selector(drawn, state="attached", timeout=15_000)
        assert violations(page) == [], (path, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
        if shots:
            target = page.locator("#bloc-environnement") if name == "portrait" else page
            target.screenshot(
                path=str(Path(shots) / f"env-{name}-{width}.png"),
                **({} if name == "portrait" else {"full_page": True}),
            )
    context.close()
