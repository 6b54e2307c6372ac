"""The open-data catalogue in a browser, and a partner's access request through to the audited download."""

import pytest
from playwright.sync_api import expect

from gouvernance.enums import Frequence, Sensibilite, Theme
from gouvernance.models import JeuDeDonnees, Telechargement
from observatoire.accounts.enums import Role
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue
from tests.browser.test_accessibility import violations
from tests.browser.test_triage_journey import log_in
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(live_server, territoire):
    sync_catalogue()
    for slug in ("communes-metropole", "signalements-espace-public"):
        publish(JeuDeDonnees.objects.get(slug=slug))
    return live_server.url


def test_catalogue_search_facet_dataset_page_and_download(page, portal):
    page.goto(portal + "/opendata/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Données ouvertes")
    expect(page.locator(".od-resultats > li")).to_have_count(2)
    page.get_by_role("searchbox", name="Rechercher").fill("contours")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".od-resultats > li")).to_have_count(1)
    page.goto(portal + "/opendata/")
    page.get_by_role("complementary", name="Affiner").get_by_role("link", name="Territoire").click()
    expect(page.locator(".od-resultats > li")).to_have_count(1)
    expect(page.get_by_role("complementary")).to_contain_text("Territoire (1)")

    page.get_by_role("link", name="Communes de la métropole : contours et population").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Communes de la métropole : contours et population"
    )
    expect(
        page.get_by_role("table", name="Les 10 premières lignes du fichier CSV").locator("tbody tr")
    ).to_have_count(10)
    with page.expect_download() as download:
        page.get_by_role("link", name="communes-metropole.geojson").click()
    assert download.value.suggested_filename == "communes-metropole.geojson"
    assert violations(page) == []


def test_partner_requests_agd_grants_partner_downloads(page, portal, browser):
    jeu = JeuDeDonnees.objects.create(
        slug="communes-convention", titre="Communes sous convention", description="Jeu restreint.",
        theme=Theme.TERRITOIRE, producteur="Métropole", frequence=Frequence.ANNUAL,
        sensibilite=Sensibilite.RESTREINT, motif_sensibilite="Convention", source_technique="communes",
    )  # fmt: skip
    partenaire = UserFactory(
        role=Role.PARTENAIRE, organisation=OrganisationFactory(nom="Cerema Méditerranée")
    )
    agd = UserFactory(role=Role.AGD)

    log_in(page, portal, partenaire.email)
    page.goto(portal + f"/gouvernance/catalogue/{jeu.slug}/")
    expect(page.get_by_role("main")).to_contain_text("Aucun accès en cours de validité")
    found = {"jeu": violations(page)}
    page.get_by_role("link", name="Demander l'accès").click()
    found["demande"] = violations(page)
    page.get_by_label("Finalité").fill("Diagnostic foncier des communes littorales pour le SCoT.")
    page.get_by_label("Durée demandée").select_option("3")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("table")).to_contain_text("En attente de décision")
    found["mes-demandes"] = violations(page)

    other = browser.new_context(locale="fr-FR")
    agd_page = other.new_page()
    log_in(agd_page, portal, agd.email)
    agd_page.goto(portal + "/gouvernance/acces/demandes/")
    found["demandes"] = violations(agd_page)
    agd_page.get_by_role("link", name="Instruire").click()
    found["decision"] = violations(agd_page)
    agd_page.get_by_label("Accorder").check()
    agd_page.get_by_role("button", name="Enregistrer la décision").click()
    expect(agd_page.get_by_role("main")).to_contain_text("Décision enregistrée : accordée.")
    agd_page.goto(portal + "/gouvernance/catalogue/")
    found["meta-catalogue"] = violations(agd_page)
    other.close()

    page.goto(portal + f"/gouvernance/catalogue/{jeu.slug}/")
    expect(page.get_by_role("main")).to_contain_text("Accès accordé jusqu'au")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger l'extraction CSV").click()
    assert download.value.suggested_filename.startswith("communes-convention-")
    entry = Telechargement.objects.get()
    assert (entry.autorise, entry.user_email, entry.canal) == (True, partenaire.email, "web")
    assert {name: found_ for name, found_ in found.items() if found_} == {}  # WCAG 2.1 A/AA (axe)
