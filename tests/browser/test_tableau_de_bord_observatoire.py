import re

import pytest
from playwright.sync_api import expect

from tests.indicateurs.valeurs import indicateurs  # noqa: F401  (the fixture below)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("indicateurs")]

URL = "/observatoires/habitat/tableau-de-bord/?indicateur=taux-vacance&territoire=13001"


def test_dashboard_draws_charts_map_and_exports(page, live_server):
    page.goto(live_server.url + URL)
    for name in ("evolution", "distribution", "classement"):
        expect(page.locator(f"#graphique-{name}")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#graphique-classement .bars path")).to_have_count(3)
    expect(page.locator("#carte-indicateur-statut")).to_have_text("92 communes, millésime 2023.")
    expect(page.locator("#carte-indicateur path.leaflet-interactive")).to_have_count(92)
    # Three distinct values: quantiles then equal intervals give different class edges.
    expect(page.locator("#legende li").first).to_have_text(
        re.compile(r"^5 – 6,67?\s% \(1 commune\)$")
    )  # with its unit
    page.get_by_label("Méthode de classement").select_option("intervalles")
    expect(page.locator("#legende li").first).to_have_text(re.compile(r"^5 – 6,33?\s% \(1 commune\)$"))
    expect(page.locator("#carte-indicateur")).to_have_attribute("data-classes", "3")

    with page.expect_download() as download:
        page.locator("[data-png-for=graphique-classement]").click()
    assert download.value.suggested_filename == "classement-communes-taux-vacance-2023.png"
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename == "taux-vacance-2023-communes.xlsx"


def test_filters_reload_the_dashboard_for_another_year(page, live_server):
    page.goto(live_server.url + URL)
    page.locator("#id_millesime").select_option("2022")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#kpi-taux-vacance strong")).to_have_text("6")
    expect(page.locator("#tableau-donnees tbody tr").first).to_contain_text("Marseille")


def test_indicator_pages_have_no_wcag_violation(browser, live_server):
    from tests.browser.test_accessibility import violations

    context = browser.new_context(locale="fr-FR", bypass_csp=True)  # axe is injected inline
    page = context.new_page()
    found = {}
    for path in (
        "/observatoires/habitat/",
        URL,
        "/territoires/13001/",
        "/territoires/comparer/?communes=13001&communes=13055",
        "/territoires/comparer/?communes=13001",
    ):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        found[path] = violations(page)
    context.close()
    assert all(v == [] for v in found.values()), found
