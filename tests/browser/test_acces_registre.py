"""The AGD is told, on the decision page, what the GDPR register lacks before granting personal data."""

import pytest
from playwright.sync_api import expect

from gouvernance.models import DemandeAcces, JeuDeDonnees, StatutDemande, Traitement
from gouvernance.models.registre import preregister
from observatoire.accounts.enums import Role
from observatoire.opendata.sources import sync_catalogue
from tests.browser.test_accessibility import violations
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.browser


def sign_in(page, base, user):
    page.goto(base + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Se connecter")).to_have_count(0)


def test_agd_cannot_grant_personal_data_the_register_does_not_send_to_the_partner(
    page, live_server, territoire
):
    sync_catalogue()
    preregister()
    jeu = JeuDeDonnees.objects.get(slug="signalements-complets")
    traitement = Traitement.objects.get(code="signalements")
    traitement.jeux.add(jeu)
    partenaire = UserFactory(role=Role.PARTENAIRE, organisation=OrganisationFactory(nom="Agence d'urbanisme"))
    demande = DemandeAcces.objects.create(
        jeu=jeu, demandeur=partenaire, finalite="Étude des délais de traitement.", duree_mois=3
    )
    sign_in(page, live_server.url, UserFactory(role=Role.AGD, is_staff=True))
    page.goto(f"{live_server.url}/gouvernance/acces/demandes/{demande.pk}/decider/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("ne nomme pas « Agence d'urbanisme »")
    expect(
        alert.get_by_role("link", name=f"modifier « {traitement.nom} » dans l'administration")
    ).to_have_attribute("href", f"/admin/gouvernance/traitement/{traitement.pk}/change/")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert violations(page) == [], width

    page.get_by_label("Accorder").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("main")).to_contain_text("Ajoutez d'abord cette organisation")
    demande.refresh_from_db()
    assert demande.status == StatutDemande.EN_ATTENTE
