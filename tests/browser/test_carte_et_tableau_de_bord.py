import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from signalements.demo import load_categories
from signalements.enums import Ouverture, Status
from signalements.models import Categorie, CategorieCommune, Signalement
from tests.browser.test_cartes_tuiles import click_drawn, wait_drawn
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(live_server, territoire):
    load_categories()
    marseille = territoire.get(insee="13055")
    proprete = Categorie.objects.get(code="proprete")
    CategorieCommune.objects.create(
        commune=marseille, categorie=proprete, ouverture=Ouverture.TOUS, delai_cible_jours=3
    )
    for i in range(6):
        geom = Point(5.3800 + i * 0.0002, 43.2990, srid=4326)
        geom.transform(2154)
        Signalement.objects.create(
            commune=marseille,
            categorie=proprete,
            geom=geom,
            description="Dépôt relu.",
            description_validee=True,
            status=Status.NOUVEAU,
        )
    return live_server.url


def test_public_map_clusters_then_details(page, portal):
    page.goto(portal + "/signalements/carte/")
    expect(page.locator("#carte-signalements-statut")).to_have_text("6 signalements dans cette vue.")
    cluster = page.locator(".cluster-icon").first
    expect(cluster).to_have_text("6")
    # Zooming in, cluster by cluster, down to the reports themselves.
    for _ in range(6):
        if page.locator(".cluster-icon").count() == 0:
            break
        page.locator(".cluster-icon").first.click()
        page.wait_for_timeout(600)
    # Street zoom: the reports are drawn by MapLibre from the vector tiles.
    wait_drawn(page, "carte-signalements", ["signalements-points"])
    click_drawn(page, "carte-signalements", "signalements-points")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Propreté")
    expect(popup).to_contain_text("Dépôt relu.")
    expect(popup).to_contain_text("S-")


def test_elu_dashboard_shows_charts_and_the_map(browser, portal):
    elu = UserFactory(email="elu@exemple.fr", role=Role.ELU)
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(portal + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(elu.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Tableau de bord des signalements").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tableau de bord")
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.locator("#carte-tdb-statut")).to_contain_text("6 signalements dans cette vue.")
    expect(page.locator("main")).to_contain_text("jamais")  # never a per-agent statistic, said on the page
    assert errors == []
    context.close()
