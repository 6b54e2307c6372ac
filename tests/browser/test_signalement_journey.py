import pytest
from playwright.sync_api import expect

from signalements.demo import load_categories
from signalements.enums import Ouverture
from signalements.models import Categorie, CategorieCommune, Signalement

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(live_server, territoire):
    load_categories()
    marseille = territoire.get(insee="13055")
    for code, ouverture in (("proprete", Ouverture.TOUS), ("signalisation", Ouverture.AGENTS)):
        CategorieCommune.objects.create(
            commune=marseille, categorie=Categorie.objects.get(code=code), ouverture=ouverture
        )
    return live_server.url


def test_citizen_files_a_report_from_a_map_click(page, portal):
    page.goto(portal + "/signalements/nouveau/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler un problème dans l'espace public")
    expect(page.locator("#carte-signalement")).to_have_attribute("data-communes", "92")
    # A click on the map places the point and asks which categories are open there.
    page.locator("#carte-signalement").click(position={"x": 300, "y": 200})
    expect(page.locator("#lieu-statut")).not_to_have_text("Aucun lieu choisi.")
    assert page.input_value("#id_lat") and page.input_value("#id_lon")
    # The place search (offline: communes) frames a commune.
    page.get_by_label("Rechercher une adresse ou une commune").fill("la ciotat")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name="La Ciotat (commune)").click()
    expect(page.locator("#lieu-statut")).to_contain_text("La Ciotat (commune) : la carte est centrée dessus")
    # Typed coordinates work too (keyboard users): the Vieux-Port.
    page.locator("details.coords summary").click()
    page.fill("#id_lat", "43.2951")
    page.fill("#id_lon", "5.3741")
    page.locator("#id_lon").dispatch_event("change")
    expect(page.locator("#lieu-statut")).to_have_text("Repère placé à Marseille. 1 catégorie ouverte ici.")
    expect(page.locator("#categorie-signalisation")).to_be_disabled()
    expect(page.locator(".choice[data-code=signalisation] .choice-closed")).to_contain_text(
        "réservée aux agents"
    )
    page.get_by_label("Propreté").check()
    page.get_by_label("Description").fill("Dépôt sauvage de cartons au pied de l'arbre.")
    page.get_by_role("button", name="Envoyer le signalement").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Signalement S-")
    expect(page.locator("main")).to_contain_text("Nouveau")
    expect(page.locator("main")).to_contain_text("Propreté")
    report = Signalement.objects.get()
    assert page.url.endswith(report.get_tracking_url())
    assert report.commune.insee == "13055"
