import pytest
from playwright.sync_api import expect

from gouvernance.models import Telechargement
from observatoire.accounts.enums import Role
from tests.browser.test_accessibility import audit_page, violations  # noqa: F401 (fixture)
from tests.factories import PASSWORD, UserFactory
from tests.foncier.test_pages_foncier import foncier  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def log_in_as_agent(page, base):
    """The gisements inventory is restricted: an agent of the metropolis is admitted by its role."""
    agent = UserFactory(role=Role.AGENT_METROPOLITAIN)
    page.goto(base + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(agent.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)
    return agent


def test_zan_chart_is_drawn_for_a_commune(page, live_server, foncier):  # noqa: F811
    page.goto(live_server.url + "/foncier/zan/")
    page.get_by_label("Commune").select_option("13001")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Consommation d'espace et trajectoire ZAN : Aix-en-Provence"
    )
    for chart in ("#graphique-annuel", "#graphique-cumul"):
        expect(page.locator(chart)).to_have_attribute("data-rendered", "true")
    # 13 yearly bars, then the reference average, the ZAN line and the pace left.
    expect(page.locator("#graphique-annuel .bars .point")).to_have_count(13)
    expect(page.locator("#graphique-annuel .scatterlayer .trace")).to_have_count(3)
    expect(page.locator("#kpi-part")).to_contain_text("40,0 %")


def test_gisements_map_draws_sites_over_the_zoning(page, live_server, foncier):  # noqa: F811
    agent = log_in_as_agent(page, live_server.url)
    page.goto(live_server.url + "/foncier/gisements/")
    expect(page.locator("#carte-gisements-statut")).to_have_text(
        "2 gisements sur la carte, sur le zonage du PLUi."
    )
    # Two parcels and a dot on each; the zoning is drawn from vector tiles (test_cartes_tuiles).
    expect(page.locator("#carte-gisements path.leaflet-interactive")).to_have_count(4)
    expect(page.locator("#legende-gisements li")).to_have_count(9)
    # A DOM click on the shape itself: a mouse click at its centre may land on a neighbour.
    page.locator("#carte-gisements path.leaflet-interactive").last.dispatch_event("click")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Statut")
    # The page and the layer's GeoJSON, each written to the download log.
    logged = Telechargement.objects.filter(user=agent, autorise=True).values_list("canal", "format")
    assert sorted(logged) == [("api", "geojson"), ("web", "html")]


def test_foncier_pages_have_no_wcag_violation(audit_page, live_server, foncier):  # noqa: F811
    log_in_as_agent(audit_page, live_server.url)
    found = {}
    for path in ("/foncier/gisements/", "/foncier/zan/?commune=13001"):
        audit_page.goto(live_server.url + path)
        audit_page.wait_for_load_state("networkidle")
        found[path] = violations(audit_page)
    assert found == {"/foncier/gisements/": [], "/foncier/zan/?commune=13001": []}
