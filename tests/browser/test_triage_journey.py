import pytest
from django.contrib.auth.models import AnonymousUser
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from signalements import services
from signalements.demo import load_categories
from signalements.enums import Ouverture, ServiceType
from signalements.models import Categorie, CategorieCommune, Service
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(live_server, territoire):
    load_categories()
    marseille = territoire.get(insee="13055")
    service = Service.objects.create(nom="Direction de la propreté urbaine", type=ServiceType.METROPOLITAIN)
    CategorieCommune.objects.create(
        commune=marseille,
        categorie=Categorie.objects.get(code="proprete"),
        ouverture=Ouverture.TOUS,
        service=service,
    )
    report = services.file_signalement(
        user=AnonymousUser(),
        categorie=Categorie.objects.get(code="proprete"),
        description="Encombrants sur le trottoir.",
        lon=5.3741,
        lat=43.2951,
    )
    gestionnaire = UserFactory(email="tri@exemple.fr", role=Role.GESTIONNAIRE_SIGNALEMENTS)
    agent = UserFactory(email="agent@exemple.fr", role=Role.AGENT_METROPOLITAIN)
    service.members.add(agent)
    return live_server.url, report, gestionnaire, agent


def log_in(page, base, email):
    page.goto(base + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()


def test_triage_then_service_then_reporter_sees_it(browser, setup):
    base, report, gestionnaire, agent = setup
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    log_in(page, base, gestionnaire.email)
    page.get_by_role("link", name="File de tri des signalements").click()
    page.get_by_role("link", name=report.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Signalement {report.reference}")

    # Set the precise sub-category and validate the text for publication.
    page.get_by_label("Sous-catégorie").select_option(label="Encombrants abandonnés")
    page.get_by_label("Description publiable (relue)").check()
    page.get_by_role("button", name="Enregistrer la requalification").click()
    expect(page.locator(".notice-success")).to_contain_text("Sous-catégorie : Encombrants abandonnés")

    # Forward: the service comes from the routing table.
    page.get_by_label("Nouvel état").select_option(label="Transmis au service compétent")
    page.get_by_label("Note", exact=True).fill("Merci, transmis à la propreté urbaine.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".notice-success")).to_contain_text("Transmis au service compétent")
    expect(page.locator("main")).to_contain_text("Direction de la propreté urbaine")
    context.close()

    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    log_in(page, base, agent.email)
    page.get_by_role("link", name="Signalements de mes services").click()
    page.get_by_role("link", name=report.reference).click()
    for label in ("Pris en charge", "Résolu"):
        page.get_by_label("Nouvel état").select_option(label=label)
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(page.locator(".notice-success")).to_contain_text(label)
    context.close()

    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(base + report.get_tracking_url())
    expect(page.locator(".status")).to_have_text("Résolu")
    expect(page.locator("main")).to_contain_text("Merci, transmis à la propreté urbaine.")
    # Resolved: the reporter is asked whether it is fixed (« non » reopens, see test_satisfaction_*).
    expect(page.get_by_role("button", name="Envoyer mon avis")).to_be_visible()
    context.close()
