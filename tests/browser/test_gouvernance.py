import pytest
from playwright.sync_api import expect

from gouvernance.demo import load_demo_gouvernance
from observatoire.accounts.demo import load_demo_accounts
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(live_server, territoire):
    load_demo_accounts()
    load_demo_gouvernance()
    return live_server.url


def test_public_governance_page_leads_to_the_charte_and_its_pdf(page, portal):
    page.goto(portal + "/gouvernance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gouvernance de la donnée")
    documents = page.get_by_role("table", name="Documents publics, leur statut et leur dernière version")
    expect(documents.get_by_role("row")).to_have_count(6)  # header + 5 public documents
    expect(documents).not_to_contain_text("Cerema")  # its convention is internal
    expect(page.locator("main")).to_contain_text("Prochaine réunion :")
    expect(page.get_by_role("link", name="administration-donnees@demo.observatoire.local")).to_be_visible()

    documents.get_by_role("link", name="Charte de la donnée", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Charte de la donnée")
    expect(page.locator("main ol.prose > li")).to_have_count(8)
    expect(page.locator("main")).to_contain_text("NUM 005-12045/22/CM du 30 juin 2022")
    # PDFs open in the browser (inline): fetch the link the page gives.
    href = page.get_by_role("link", name="Version 1 (PDF").get_attribute("href")
    response = page.request.get(portal + href)
    assert response.headers["content-type"] == "application/pdf"
    assert 'filename="charte-de-la-donnee-v1.pdf"' in response.headers["content-disposition"]
    assert response.body().startswith(b"%PDF-")

    page.goto(portal + "/gouvernance/")
    page.get_by_role("link", name="inventaire des algorithmes publics").click()
    expect(
        page.get_by_role("heading", name="Détection des points noirs (signalements récurrents)")
    ).to_be_visible()


def test_governance_pages_have_no_wcag_violation(browser, portal):
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    audit_page = context.new_page()
    found = {}
    for path in ("/gouvernance/", "/gouvernance/documents/charte-de-la-donnee/", "/gouvernance/algorithmes/"):
        audit_page.goto(portal + path)
        found[path] = violations(audit_page)
    context.close()
    assert found == {path: [] for path in found}
