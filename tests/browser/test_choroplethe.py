import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from habitat.indicateurs import recompute
from observatoire.indicateurs.models import Valeur
from tests.habitat.test_sitadel import GOOD, write
from tests.indicateurs.valeurs import indicateurs  # noqa: F401  (the fixture below)


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


@pytest.mark.browser
@pytest.mark.usefixtures("indicateurs")
def test_legend_numbers_read_as_in_the_tables(page, live_server):
    Valeur.objects.filter(indicateur__code="taux-vacance", commune__insee="13001", millesime=2023).update(
        valeur=7.456
    )
    page.goto(live_server.url + "/observatoires/indicateurs/taux-vacance/carte/")
    expect(page.locator("#carte-indicateur-statut")).to_contain_text("millésime 2023")
    # Class bounds below 100 keep two decimals, as format_valeur writes values in the table
    # beside (the map used to round them to one: « 6,6 » for 6,64)
    expect(page.locator("#legende")).to_contain_text(re.compile(r"\b\d,\d\d\b"))
