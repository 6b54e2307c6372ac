"""A category chosen before the place is kept where it is open, and never dropped silently."""

import pytest
from playwright.sync_api import expect

from signalements.enums import Ouverture
from signalements.models import Categorie, CategorieCommune
from tests.browser.signalements_data import open_proprete_in_marseille

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(live_server, territoire):
    open_proprete_in_marseille(territoire)
    CategorieCommune.objects.create(
        commune=territoire.get(insee="13055"),
        categorie=Categorie.objects.get(code="signalisation"),
        ouverture=Ouverture.AGENTS,
    )
    return live_server.url


def place(page, lat, lon):
    page.fill("#id_lat", str(lat))
    page.fill("#id_lon", str(lon))
    page.locator("#id_lon").dispatch_event("change")


def test_category_chosen_first_is_kept_or_its_loss_is_said(page, portal):
    page.goto(portal + "/signalements/nouveau/")
    page.locator("details.coords summary").click()
    status = page.locator("#categorie-statut")
    expect(status).to_have_attribute("aria-live", "polite")

    # Open here: the choice made before the place stays.
    page.get_by_label("Propreté").check()
    place(page, 43.2951, 5.3741)
    expect(page.locator("#lieu-statut")).to_contain_text("Marseille")
    expect(page.get_by_label("Propreté")).to_be_checked()
    expect(status).to_have_text("« Propreté » reste choisie.")

    # Off the territory: the loss is said, and the choice comes back with a valid place.
    place(page, 43.15, 5.05)
    expect(status).to_contain_text("« Propreté » n'est pas ouverte à cet endroit")
    expect(page.get_by_label("Propreté")).not_to_be_checked()
    place(page, 43.2951, 5.3741)
    expect(page.get_by_label("Propreté")).to_be_checked()

    # Closed to inhabitants here: unticked, and said.
    page.goto(portal + "/signalements/nouveau/")
    page.locator("details.coords summary").click()
    page.get_by_label("Signalisation et feux").check()
    place(page, 43.2951, 5.3741)
    expect(page.locator("#categorie-statut")).to_have_text(
        "« Signalisation et feux » n'est pas ouverte à Marseille : votre choix est retiré. "
        "Choisissez une autre catégorie ou déplacez le repère."
    )
    expect(page.get_by_label("Signalisation et feux")).not_to_be_checked()
