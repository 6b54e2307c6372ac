"""The subscription form in Chromium: choose a zone (commune or place + radius), then confirm."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from signalements.alertes.models import Abonnement
from signalements.models import Notification
from tests.browser import test_accessibility as axe

pytestmark = pytest.mark.browser
SHOTS = Path("/work/helpers/shots")


@pytest.fixture
def portal(live_server, territoire):
    return live_server.url


def shoot(page, name):
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"alertes-{name}.png"), full_page=True)


def test_subscribe_around_a_place_found_by_search(page, portal):
    page.goto(portal + "/signalements/carte/")
    page.get_by_role(
        "link", name="Recevoir les signalements d'une commune ou d'un quartier par courriel"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recevoir les signalements par courriel")
    shoot(page, "formulaire-1280")

    # An empty form: the errors are said in French, next to their fields.
    page.get_by_role("button", name="S'abonner").click()
    expect(page.locator(".notice-error")).to_contain_text("Le formulaire contient")
    expect(page.locator("#id_zone_type_error")).to_have_text(
        "Choisissez une commune, un arrondissement ou un lieu."
    )

    page.get_by_label("Autour d'un lieu (adresse ou point sur la carte)").check()
    expect(page.get_by_label("Commune", exact=True)).to_be_hidden()
    expect(page.locator("#carte-alertes")).to_be_visible()
    expect(page.locator("#carte-alertes")).to_have_attribute("data-communes", "92")
    page.get_by_label("Rechercher une adresse ou une commune").fill("la ciotat")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name="La Ciotat (commune)").click()
    expect(page.locator("#lieu-statut")).to_have_text("Centre choisi : La Ciotat (commune). Rayon : 500 m.")
    expect(page.locator("#carte-alertes path.leaflet-interactive").last).to_be_visible()
    page.get_by_label("Rayon (en mètres)").fill("800")
    expect(page.locator("#lieu-statut")).to_have_text("Rayon : 800 m.")
    page.get_by_label("Les signalements résolus").check()
    page.get_by_label("Un résumé par jour (le matin, s'il y a du nouveau)").check()
    page.get_by_label("Votre adresse électronique").fill("riveraine@exemple.fr")
    shoot(page, "rayon-1280")
    page.get_by_role("button", name="S'abonner").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre abonnement")
    expect(page.get_by_role("status")).to_contain_text("riveraine@exemple.fr")
    sub = Abonnement.objects.get()
    assert (sub.zone_type, sub.rayon_m, sub.lieu, sub.frequence) == (
        "rayon",
        800,
        "La Ciotat (commune)",
        "quotidienne",
    )
    assert sub.nouveaux and sub.resolus and sub.confirmed_at is None

    body = Notification.objects.get(recipient="riveraine@exemple.fr").body
    link = re.search(r"http://127\.0\.0\.1:8000(\S+)", body)[1]
    page.goto(portal + link)
    page.get_by_role("button", name="Confirmer l'abonnement").click()
    expect(page.get_by_role("status")).to_contain_text("Votre abonnement est confirmé")
    sub.refresh_from_db()
    assert sub.is_active


def test_subscription_form_fits_a_phone(page, portal):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(portal + "/signalements/alertes/")
    page.get_by_role("radio", name="Une commune").check()
    page.get_by_label("Commune", exact=True).select_option(label="Aix-en-Provence")
    shoot(page, "formulaire-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_label("Autour d'un lieu (adresse ou point sur la carte)").check()
    shoot(page, "rayon-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


audit_page = axe.audit_page


def test_alert_pages_have_no_wcag_violation(audit_page, portal, marseille):
    sub = Abonnement.objects.create(email="a11y@exemple.fr", zone_type="commune", commune=marseille)
    found = {}
    for path, action in (
        ("/signalements/alertes/", "rayon"),
        (f"/signalements/alertes/confirmation/{sub.token}/", None),
        (f"/signalements/alertes/desabonnement/{sub.token}/", None),
    ):
        audit_page.goto(portal + path)
        if action:
            audit_page.get_by_label("Autour d'un lieu (adresse ou point sur la carte)").check()
        audit_page.wait_for_load_state("networkidle")
        found[path] = axe.violations(audit_page)
    # With the errors shown.
    audit_page.goto(portal + "/signalements/alertes/")
    audit_page.get_by_role("button", name="S'abonner").click()
    found["erreurs"] = axe.violations(audit_page)
    assert found == {key: [] for key in found}
