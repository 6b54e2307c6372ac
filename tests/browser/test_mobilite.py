import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.mobilite.gtfs_files import write_zip
from tests.mobilite.test_flux_modes import FLUX, write


@pytest.mark.browser
def test_network_map_draws_stops_and_lines(page, live_server, territoire, tmp_path):
    call_command("import_gtfs", write_zip(tmp_path / "gtfs.zip"))
    page.goto(live_server.url + "/mobilite/reseau/")
    expect(page.locator("#carte-reseau-statut")).to_have_text(
        "3 arrêts, 3 lignes. Cliquez sur un arrêt ou une ligne pour le détail."
    )
    # Stops and lines come as vector tiles, drawn by MapLibre: test_cartes_tuiles reads them back.
    expect(page.locator("#carte-reseau")).to_have_attribute("data-tuiles", "chargees")
    page.get_by_text("Arrêts les plus desservis", exact=True).click()
    expect(page.get_by_role("cell", name="Rotonde", exact=True)).to_be_visible()
    assert violations(page) == []


@pytest.mark.browser
def test_flow_map_draws_flows_filtered_by_commune(page, live_server, territoire, tmp_path):
    call_command("import_mobilites_professionnelles", write(tmp_path, FLUX))
    page.goto(live_server.url + "/mobilite/flux/")
    expect(page.locator("#carte-flux-statut")).to_have_text("2 flux, millésime 2019.")
    expect(page.locator("#carte-flux path.leaflet-interactive")).to_have_count(2)
    assert violations(page) == []
    page.get_by_label("Commune (départ ou arrivée)").select_option("13005")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#carte-flux-statut")).to_have_text("0 flux, millésime 2019.")
