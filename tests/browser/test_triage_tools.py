"""Triage queue: every state filter is visible (no clipped multi-select), search by reference."""

import pytest
from django.contrib.auth.models import AnonymousUser
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from signalements import services
from signalements.enums import Status
from tests.browser.signalements_data import log_in, open_proprete_in_marseille
from tests.browser.test_accessibility import violations
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def queue(live_server, territoire):
    proprete = open_proprete_in_marseille(territoire)
    reports = [
        services.file_signalement(
            user=AnonymousUser(), categorie=proprete, description=text, lon=5.3741, lat=43.2951
        )
        for text in ("Gravats sur le trottoir.", "Poubelle renversée.")
    ]
    return live_server.url, reports


@pytest.mark.parametrize("width", [1280, 320])
def test_every_state_is_visible_and_a_reference_finds_its_report(browser, queue, width):
    base, reports = queue
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    user = UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS)
    log_in(page, base, user.email)
    page.goto(base + "/signalements/gestion/")

    states = page.get_by_role("group", name="État")
    for status in Status:
        box = states.get_by_role("checkbox", name=status.label, exact=True)
        box.scroll_into_view_if_needed()
        # Visible in full: not cut off inside a scrolling select box.
        expect(box).to_be_in_viewport(ratio=1)
    expect(states.get_by_role("checkbox", name="Rouvert")).to_be_checked()

    page.get_by_label("Référence ou mots de la description").fill(reports[1].reference)
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(reports[1].reference)
    assert violations(page) == []
    context.close()
