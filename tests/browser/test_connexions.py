"""In Chromium: the RSSI reads and filters the journal, a user ends a session of another browser;
both pages have no WCAG violation (axe-core) at 1280 and 320 px and fit a phone's width."""

from pathlib import Path

import pytest

from observatoire.accounts.enums import Role
from tests.browser.signalements_data import log_in
from tests.browser.test_accessibility import violations
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def signed_in(browser, base, user, agent, width=1280):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900}, user_agent=agent)
    page = context.new_page()
    log_in(page, base, user.email)
    page.wait_for_url(lambda url: "/comptes/login/" not in url)
    return context, page


def audit(page, width):
    found = violations(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert found == [], found
    assert scroll_width <= width


def test_a_user_ends_the_session_of_another_browser(browser, live_server, territoire):
    user = UserFactory(email="agent@exemple.fr", role=Role.AGENT_METROPOLITAIN)
    laptop, laptop_page = signed_in(browser, live_server.url, user, "Portable/1.0 Firefox")
    phone, phone_page = signed_in(browser, live_server.url, user, "Telephone/2.0 Safari")
    laptop_page.goto(live_server.url + "/comptes/profil/")
    laptop_page.get_by_role("link", name="Mes sessions").click()
    rows = laptop_page.locator("tbody tr")
    assert rows.count() == 2
    assert "(cet appareil)" in laptop_page.locator("tr", has_text="Portable/1.0").inner_text()
    for width in (1280, 320):
        laptop_page.set_viewport_size({"width": width, "height": 900})
        audit(laptop_page, width)
    laptop_page.locator("tr", has_text="Telephone/2.0").get_by_role(
        "button", name="Fermer cette session"
    ).click()
    assert "La session a été fermée" in laptop_page.content()
    assert laptop_page.locator("tbody tr").count() == 1
    phone_page.reload()
    assert "/comptes/login/" in phone_page.url
    laptop.close()
    phone.close()


def test_the_rssi_filters_the_journal_and_exports_it(browser, live_server, territoire):
    rssi = UserFactory(email="rssi@exemple.fr", role=Role.RSSI)
    UserFactory(email="agent@exemple.fr")
    context, page = signed_in(browser, live_server.url, rssi, "Chromium RSSI")
    # Someone else mistypes a password.
    other = browser.new_context(locale="fr-FR")
    other_page = other.new_page()
    other_page.goto(live_server.url + "/comptes/login/")
    other_page.get_by_label("Adresse électronique").fill("agent@exemple.fr")
    other_page.get_by_label("Mot de passe").fill("pas-le-bon")
    other_page.get_by_role("button", name="Se connecter").click()
    other.close()

    page.goto(live_server.url + "/comptes/profil/")
    page.get_by_role("link", name="Journal des connexions").click()
    page.get_by_label("Événement", exact=True).select_option(label="Échec de connexion")
    page.get_by_role("button", name="Filtrer").click()
    table = page.locator("tbody").inner_text()
    assert "agent@exemple.fr" in table and "mot de passe incorrect" in table
    assert "rssi@exemple.fr" not in table
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        audit(page, width)
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "agent@exemple.fr" in text and "rssi@exemple.fr" not in text
    context.close()
