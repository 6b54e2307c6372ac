import pytest
from playwright.sync_api import expect

from tests.indicateurs.valeurs import indicateurs  # noqa: F401  (the fixture below)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("indicateurs")]


def test_the_portrait_offers_its_pdf(page, live_server):
    page.goto(live_server.url + "/territoires/13001/")
    link = page.get_by_role("link", name="Télécharger le portrait (PDF)")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "portrait-13001.pdf"
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
