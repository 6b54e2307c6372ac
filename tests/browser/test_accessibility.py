"""Automated WCAG 2.1 A/AA audit (axe-core, from npm) of the main pages, public and signed-in."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from observatoire.accounts.enums import Role
from signalements import services
from signalements.demo import load_categories
from signalements.enums import Ouverture, ServiceType
from signalements.models import Categorie, CategorieCommune, Service
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

AXE = settings.NODE_MODULES / "axe-core" / "axe.min.js"
RUN = """async () => {
  const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(
    v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`
  );
}"""
PUBLIC = [
    "/",
    "/signalements/",
    "/signalements/nouveau/",
    "/signalements/carte/",
    "/comptes/login/",
    "/comptes/inscription/",
]


@pytest.fixture
def portal(live_server, territoire):
    load_categories()
    marseille = territoire.get(insee="13055")
    service = Service.objects.create(nom="Propreté urbaine", type=ServiceType.METROPOLITAIN)
    proprete = Categorie.objects.get(code="proprete")
    CategorieCommune.objects.create(
        commune=marseille, categorie=proprete, ouverture=Ouverture.TOUS, service=service
    )
    report = services.file_signalement(
        user=AnonymousUser(), categorie=proprete, description="Dépôt sauvage.", lon=5.3741, lat=43.2951
    )
    return live_server.url, report


def violations(page):
    # The audit script is injected by the test: the portal's CSP rightly forbids inline scripts.
    page.evaluate(AXE.read_text())
    return page.evaluate(RUN)


@pytest.fixture
def audit_page(browser):
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_public_pages_have_no_wcag_violation(audit_page, portal):
    base, _ = portal
    found = {}
    for path in PUBLIC:
        audit_page.goto(base + path)
        audit_page.wait_for_load_state("networkidle")
        found[path] = violations(audit_page)
    assert found == {path: [] for path in PUBLIC}


def test_back_office_pages_have_no_wcag_violation(audit_page, portal):
    base, report = portal
    user = UserFactory(email="tri@exemple.fr", role=Role.GESTIONNAIRE_SIGNALEMENTS)
    audit_page.goto(base + "/comptes/login/")
    audit_page.get_by_label("Adresse électronique").fill(user.email)
    audit_page.get_by_label("Mot de passe").fill(PASSWORD)
    audit_page.get_by_role("button", name="Se connecter").click()
    found = {}
    for path in ("/comptes/profil/", "/signalements/gestion/", f"/signalements/gestion/{report.pk}/"):
        audit_page.goto(base + path)
        audit_page.wait_for_load_state("networkidle")
        found[path] = violations(audit_page)
    assert all(v == [] for v in found.values()), found
