import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from habitat.indicateurs import recompute
from tests.habitat.test_sitadel import GOOD, write


@pytest.mark.browser
def test_choropleth_is_drawn_and_the_method_can_be_switched(page, live_server, territoire, tmp_path):
    call_command("import_sitadel", write(tmp_path, GOOD))
    recompute()
    page.goto(live_server.url + "/observatoires/indicateurs/logements-autorises/carte/?millesime=2023")
    expect(page.locator("#carte-indicateur-statut")).to_have_text("92 communes, millésime 2023.")
    expect(page.locator("#carte-indicateur path.leaflet-interactive")).to_have_count(92)
    page.get_by_label("Méthode de classement").select_option("intervalles")
    page.get_by_label("Nombre de classes").select_option("3")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator("#carte-indicateur")).to_have_attribute(
        "data-classes", "2"
    )  # only two distinct values
    expect(page.locator("#legende li").first).to_contain_text("100 – 125")
