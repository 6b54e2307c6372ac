"""The site search from the header, as a person uses it, on a phone (320 px) and a desktop."""

import pytest

from tests.browser.test_accessibility import violations
from tests.recherche.donnees import contenus_recherche  # noqa: F401  (the fixture below)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("contenus_recherche")]


@pytest.mark.parametrize("width", [1280, 320])
def test_header_search_shows_aix_prices_grouped_without_axe_violations(browser, live_server, width):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    assert violations(page) == []
    page.get_by_role("search", name="Sur tout le portail").get_by_label("Recherche sur tout le portail").fill(
        "prix immobilier Aix"
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/?q=prix+immobilier+Aix")
    headings = page.locator("h2").all_inner_texts()
    assert headings[:3] == ["Communes (1)", "Indicateurs (3)", "Jeux de données (1)"]
    appartements = page.locator("#groupe-indicateurs > ul > li").filter(
        has=page.get_by_role("heading", name="Prix médian au m² des appartements", exact=True)
    )
    figure = appartements.locator(".recherche-chiffres")
    assert figure.locator("dt").inner_text() == "Aix-en-Provence"
    assert figure.locator("dd").inner_text() == "5\u202f104 €/m² (2024)"  # the latest millésime
    assert (
        page.get_by_role("link", name="Portrait d'Aix-en-Provence").get_attribute("href")
        == "/territoires/13001/"
    )
    # Nothing wider than the screen, and the page passes the audit it passed before the search box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations(page) == []
    context.close()


def test_open_data_search_finds_prices_and_leads_to_the_site_search(page, live_server):
    page.goto(f"{live_server.url}/opendata/?q=prix")
    assert "Indicateurs des observatoires par commune" in page.locator(".od-resultats").inner_text()
    assert violations(page) == []
    page.get_by_role("link", name="Chercher « prix » sur tout le portail").click()
    page.wait_for_url("**/recherche/?q=prix")
    assert page.locator("#groupe-indicateurs h3").first.inner_text().startswith("Prix médian au m²")
