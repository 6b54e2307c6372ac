"""The 403 and 404 pages in Chromium: the portal's layout, a way on, no WCAG violation at 1280 and 320 px."""

import pytest
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from observatoire.opendata.sources import sync_catalogue
from tests.browser.test_acces_registre import sign_in
from tests.browser.test_accessibility import violations
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_forbidden_and_missing_pages_lead_somewhere_and_pass_axe(page, live_server, territoire):
    base = live_server.url
    response = page.goto(base + "/nulle-part/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(page.get_by_role("navigation", name="Navigation principale")).to_be_visible()
    found = {}
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        found[("404", width)] = violations(page)

    sign_in(page, base, UserFactory(role=Role.CITOYEN))
    response = page.goto(base + "/gouvernance/telechargements/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès refusé")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        found[("403", width)] = violations(page)
    assert found == {key: [] for key in found}

    page.get_by_role("link", name="Voir les espaces auxquels votre compte donne accès (Mon compte)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")


def test_row_gate_refusal_is_the_portal_403_with_a_way_to_ask(page, live_server, territoire):
    sync_catalogue()
    sign_in(page, live_server.url, UserFactory(role=Role.PARTENAIRE))
    response = page.goto(live_server.url + "/foncier/gisements/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accès réservé : Inventaire des gisements fonciers"
    )
    expect(page.locator("main")).to_contain_text("Erreur 403")
    found = {}
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        found[width] = violations(page)
    assert found == {1280: [], 320: []}
    page.get_by_role("link", name="Demander l'accès à ce jeu de données").click()
    expect(page).to_have_url(live_server.url + "/gouvernance/catalogue/gisements-fonciers/demander/")
