"""A partner finds its pages by navigation: Mon compte lists its spaces; the governance page leads
to the full catalogue."""

import pytest
from playwright.sync_api import expect

from gouvernance.demo import load_demo_gouvernance
from gouvernance.demo_acces import load_demo_acces
from observatoire.accounts.enums import Role
from observatoire.opendata.sources import sync_catalogue
from tests.browser.test_acces_registre import sign_in
from tests.browser.test_accessibility import violations
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


def test_partner_goes_from_home_to_its_requests_and_to_the_full_catalogue(page, live_server, territoire):
    sync_catalogue()
    load_demo_gouvernance()
    load_demo_acces()
    partenaire = UserFactory(role=Role.PARTENAIRE, organisation=OrganisationFactory(nom="Cerema"))
    base = live_server.url
    sign_in(page, base, partenaire)

    page.goto(base + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon compte"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    spaces = page.locator("ul.workspaces")
    expect(spaces.get_by_role("link")).to_have_text(
        ["Mes signalements", "Catalogue complet des données", "Mes demandes d'accès aux données"]
    )
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert violations(page) == [], width
    page.set_viewport_size({"width": 1280, "height": 900})

    spaces.get_by_role("link", name="Mes demandes d'accès aux données").click()
    expect(page).to_have_url(base + "/gouvernance/acces/mes-demandes/")

    page.get_by_role("link", name="Gouvernance").click()
    page.get_by_role("link", name="catalogue des données").click()
    expect(page).to_have_url(base + "/gouvernance/catalogue/")
