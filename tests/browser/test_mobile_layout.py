"""At 390 px (a small phone) no page is wider than the screen: tables scroll or wrap, never the page."""

import pytest

from gouvernance.demo import load_demo_gouvernance
from gouvernance.models import JeuDeDonnees
from observatoire.accounts.demo import load_demo_accounts
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/observatoires/",
    "/observatoires/habitat/",
    "/territoires/13001/",
    "/opendata/",
    "/opendata/communes-metropole/",
    "/gouvernance/",
    "/gouvernance/algorithmes/",
]


@pytest.fixture
def portal(live_server, territoire):
    load_demo_accounts()
    load_demo_gouvernance()
    sync_catalogue()
    publish(JeuDeDonnees.objects.get(slug="communes-metropole"))
    return live_server.url


def test_no_page_scrolls_sideways_on_a_phone(browser, portal):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    page = context.new_page()
    wide = {}
    for path in PAGES:
        page.goto(portal + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    context.close()
    assert wide == {}
