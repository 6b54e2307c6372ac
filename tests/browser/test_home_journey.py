import re

import pytest
from playwright.sync_api import expect

from observatoire.accounts.demo import DEMO_PASSWORD, load_demo_accounts

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(live_server, territoire, settings):
    settings.DEBUG = True  # demo accounts are refused when DEBUG is off
    load_demo_accounts()
    return live_server.url


def test_home_map_shows_the_92_communes_and_a_demo_agent_logs_in(page, portal):
    page.goto(portal + "/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Keyboard users reach the content through the skip link.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()

    expect(page.locator("#carte-communes-statut")).to_have_text("92 communes affichées.")
    shapes = page.locator("#carte-communes path.leaflet-interactive")
    expect(shapes).to_have_count(92)

    # A commune is clickable: its name and population appear.
    page.locator("#carte-communes").click(position={"x": 640, "y": 300})
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("habitants")
    expect(popup).to_contain_text("Code INSEE 13")

    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Connexion").click()
    page.get_by_label("Adresse électronique").fill("agent.aix@demo.observatoire.local")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(portal + "/comptes/profil/")
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Agent communal")
    expect(page.locator("main")).to_contain_text("Aix-en-Provence")
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()


def test_map_stays_useful_without_tiles(page, portal):
    """Test settings configure no tile server: the boundaries alone must render."""
    page.goto(portal + "/")
    expect(page.locator("#carte-communes")).to_have_class(re.compile(r"\bmap-no-tiles\b"))
    expect(page.locator("#carte-communes path.leaflet-interactive")).to_have_count(92)
    expect(page.locator(".leaflet-tile")).to_have_count(0)
