import pytest
from playwright.sync_api import expect

from tests.indicateurs.prix import prix  # noqa: F401  (the fixtures below)
from tests.indicateurs.valeurs import indicateurs  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("indicateurs", "prix")]

URL = "/observatoires/habitat/tableau-de-bord/?indicateur=taux-vacance&millesime=2022&territoire=13001"


def test_another_indicator_opens_on_its_latest_millesime_and_explains_a_gap(page, live_server, tmp_path):
    page.goto(live_server.url + URL)
    expect(page.locator("#id_millesime")).to_have_value("2022")
    page.get_by_label("Indicateur").select_option("prix-appartements")
    page.get_by_role("button", name="Afficher").click()
    # 2022 exists for the apartment prices too, but the person never chose it for them.
    expect(page.locator("#id_millesime")).to_have_value("2024")
    expect(page.locator("#indicateur-titre")).to_contain_text("2024")
    # Aix-en-Provence's 2024 median is not published: the card says so, not "—" nor 2022's price.
    card = page.locator("#kpi-prix-appartements")
    expect(card).to_contain_text("Non diffusé : secret statistique")
    expect(card).not_to_contain_text("—")
    expect(page.locator("#kpi-taux-vacance")).to_contain_text("2024 pas encore publié")
    page.screenshot(path=tmp_path / "tableau-de-bord-1280.png", full_page=False)
    page.set_viewport_size({"width": 320, "height": 800})
    page.locator("#chiffres-cles").scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "tableau-de-bord-320.png", full_page=False)
