import pytest
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from tests.factories import PASSWORD, UserFactory
from tests.indicateurs.valeurs import indicateurs  # noqa: F401  (the fixture below)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("indicateurs")]


def test_portrait_draws_the_evolution_and_the_map(page, live_server):
    page.goto(live_server.url + "/territoires/13001/")
    chart = page.locator("#graphique-evolution")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(chart.locator(".scatterlayer .trace")).to_have_count(2)  # the commune and the metropolis
    expect(page.locator("#carte-portrait path.leaflet-interactive")).to_have_count(92)
    page.get_by_role("link", name="Comparer avec…").click()
    expect(page.locator("#commune-1")).to_have_value("13001")
    page.locator("#commune-2").select_option("13055")
    page.get_by_role("button", name="Comparer").click()
    expect(page.locator("#graphique-comparaison")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#tableau-comparaison tbody tr")).to_have_count(1)


def test_an_elu_switches_the_chart_to_a_reserved_indicator(page, live_server):
    UserFactory(email="elu@exemple.fr", role=Role.ELU)
    page.goto(live_server.url + "/comptes/login/?next=/territoires/13001/")
    page.get_by_label("Adresse électronique").fill("elu@exemple.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.locator("#choix-evolution").select_option("loyer-median")
    chart = page.locator("#graphique-evolution")
    expect(chart).to_have_attribute("data-figure", "loyer-median")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(chart).to_have_attribute("data-filename", "evolution-13001-loyer-median")
