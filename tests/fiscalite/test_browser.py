"""The élus' dashboard and the « Fiche financière » in Chromium: charts drawn from the JSON block
(CSP), the chart following the list, no WCAG 2.1 A/AA violation, nothing wider than a phone."""

import pytest
from playwright.sync_api import expect

from fiscalite.indicateurs import recompute
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def computed(donnees):
    recompute()


@pytest.mark.usefixtures("computed")
def test_dashboard_chart_follows_the_list(page, live_server):
    page.goto(live_server.url + "/fiscalite/tableau-de-bord/?commune=13001")
    chart = page.locator("#graphique-evolution")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(chart.locator(".scatterlayer .trace")).to_have_count(3)  # metropolis, median, Aix
    page.locator("#id_taux").select_option("taux-teom")
    expect(chart).to_have_attribute("data-figure", "taux-teom")
    expect(chart).to_have_attribute("data-filename", "fiscalite-taux-teom")
    page.get_by_role("link", name="TFB commune (%) : trier par ordre croissant").click()
    expect(page.locator("#tableau-fiscalite tbody tr").first.locator("th")).to_have_text("Aix-en-Provence")


@pytest.mark.usefixtures("computed")
@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", ["/fiscalite/tableau-de-bord/?commune=13001", "/territoires/13002/"])
def test_no_wcag_violation_and_fits_a_phone(browser, live_server, path, width):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + path)
    if "territoires" in path:
        expect(page.locator("#bloc-fiche-financiere")).to_be_visible()
    assert violations(page) == []
    assert page.evaluate(WIDTH) <= width
    context.close()
