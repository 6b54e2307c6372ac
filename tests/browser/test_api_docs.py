"""The API documentation page: Swagger UI served in French, without WCAG violation."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 320])
def test_api_docs_are_french_and_pass_axe(browser, live_server, width):
    context = browser.new_context(locale="fr-FR", bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "documentation interactive" in page.title()
    expect(page.get_by_role("link", name="Retour au portail")).to_be_visible()
    found = violations(page)
    context.close()
    assert found == []
