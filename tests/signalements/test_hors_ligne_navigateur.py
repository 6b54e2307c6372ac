"""A field agent files without network: the page comes from the service worker, the report waits on
the device with its photo, and is filed once when the network is back (Chromium, real server)."""

import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from signalements.enums import Ouverture
from signalements.models import CategorieCommune, Signalement
from tests.browser.signalements_data import log_in
from tests.browser.test_accessibility import audit_page, violations  # noqa: F401 - fixture

from .conftest import VIEUX_PORT
from .hors_ligne_outils import sw_bundle  # noqa: F401 - fixture

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("HORS_LIGNE_SHOTS")  # a folder: the test also takes the slice's screenshots


@pytest.fixture
def portal(live_server, marseille_setup, sw_bundle):  # noqa: F811
    return live_server.url


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "depot.jpg"
    Image.new("RGB", (800, 600), (90, 120, 60)).save(path, format="JPEG")
    return path


def place(page, lat, lon):
    if not page.locator("#id_lat").is_visible():
        page.locator("details.coords summary").click()
    page.fill("#id_lat", str(lat))
    page.fill("#id_lon", str(lon))
    page.locator("#id_lon").dispatch_event("change")


def open_controlled(page, url):
    """The filing page, once its service worker controls it (installed: shell and Leaflet precached)."""
    page.goto(url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20000)


def shoot(page, name):
    if not SHOTS:
        return
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"hors_ligne-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_agent_files_offline_and_the_report_is_sent_once_back_online(page, portal, agent_marseille, photo):
    context = page.context
    log_in(page, portal, agent_marseille.email)
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
    open_controlled(page, portal + "/signalements/nouveau/")
    # Online once: the agents-only category is open to this agent here, and the list is kept.
    place(page, VIEUX_PORT["lat"], VIEUX_PORT["lon"])
    expect(page.locator("#lieu-statut")).to_contain_text("Marseille")
    expect(page.get_by_label("Signalisation et feux")).to_be_enabled()

    context.set_offline(True)
    expect(page.locator("#hors-ligne-etat")).to_be_visible()
    page.locator("#id_description").fill("")  # nothing typed yet: the page says what is missing
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("alert").filter(has_text="pas encore complet")).to_contain_text(
        "Décrivez le problème en quelques mots."
    )

    # Moving the pin offline: the categories come from the worker's last answer, and it says so.
    place(page, VIEUX_PORT["lat"] + 0.0005, VIEUX_PORT["lon"])
    expect(page.locator("#lieu-statut")).to_contain_text("Hors ligne : catégories connues")
    page.get_by_label("Signalisation et feux").check()
    page.locator("#id_description").fill("Feu tricolore éteint au carrefour.")
    page.locator("#id_photos").set_input_files(photo)
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator("#hors-ligne-message")).to_contain_text("Signalement gardé sur cet appareil")
    expect(page.get_by_role("heading", name="En attente d'envoi (1)")).to_be_visible()
    expect(page.locator("#hors-ligne-liste li")).to_contain_text("Signalisation et feux")
    expect(page.locator("#hors-ligne-liste li")).to_contain_text("En attente du réseau.")
    assert Signalement.objects.count() == 0

    # Reloaded without network: the shell, its scripts and Leaflet come from the worker's caches.
    page.reload()
    expect(page.get_by_role("heading", name="Signaler un problème dans l'espace public")).to_be_visible()
    assert page.evaluate("typeof window.L") == "object"
    expect(page.locator("#hors-ligne-etat")).to_be_visible()
    expect(page.get_by_role("heading", name="En attente d'envoi (1)")).to_be_visible()
    shoot(page, "en-attente")
    # Kept aside to replay the same report later, as a device that lost the server's answer would.
    page.evaluate(
        """() => new Promise((resolve) => {
          const opening = indexedDB.open("signalements-hors-ligne");
          opening.onsuccess = () => {
            const all = opening.result.transaction("envois").objectStore("envois").getAll();
            all.onsuccess = () => { window.copie = all.result[0]; opening.result.close(); resolve(); };
          };
        })"""
    )
    assert Signalement.objects.count() == 0

    context.set_offline(False)
    expect(page.locator("#hors-ligne-message")).to_contain_text("Signalement envoyé")
    expect(page.locator("#hors-ligne-attente")).to_be_hidden()
    report = Signalement.objects.get()
    assert report.categorie.code == "signalisation"
    assert report.reporter == agent_marseille
    assert report.description == "Feu tricolore éteint au carrefour."
    assert report.photos.count() == 1
    expect(page.locator("#hors-ligne-message a")).to_have_text(report.reference)
    shoot(page, "envoye")

    # The same report replayed (its answer lost): the server answers with it, files nothing new.
    page.evaluate(
        """() => new Promise((resolve) => {
          const opening = indexedDB.open("signalements-hors-ligne");
          opening.onsuccess = () => {
            const tx = opening.result.transaction("envois", "readwrite");
            tx.objectStore("envois").put(window.copie);
            tx.oncomplete = () => { opening.result.close(); resolve(); };
          };
        })"""
    )
    page.reload()  # the page sends what waits as soon as it opens online
    expect(page.locator("#hors-ligne-message a")).to_have_text(report.reference)
    expect(page.locator("#hors-ligne-attente")).to_be_hidden()
    assert Signalement.objects.count() == 1
    assert report.photos.count() == 1


def file_offline(page, portal, categorie, description):
    """Online once (the worker installs, the categories here are kept), then a report filed offline."""
    open_controlled(page, portal + "/signalements/nouveau/")
    place(page, VIEUX_PORT["lat"], VIEUX_PORT["lon"])
    expect(page.locator("#lieu-statut")).to_contain_text("Marseille")
    page.context.set_offline(True)
    place(page, VIEUX_PORT["lat"] + 0.0003, VIEUX_PORT["lon"])
    expect(page.locator("#lieu-statut")).to_contain_text("Hors ligne")
    page.get_by_label(categorie).check()
    page.locator("#id_description").fill(description)
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("heading", name="En attente d'envoi (1)")).to_be_visible()


def test_a_report_refused_on_replay_stays_listed_with_the_reason(page, portal, marseille_setup):
    file_offline(page, portal, "Propreté", "Sacs éventrés sur le trottoir.")
    # Closed by the commune while the citizen was offline.
    CategorieCommune.objects.filter(commune=marseille_setup, categorie__code="proprete").update(
        ouverture=Ouverture.FERMEE, explication="La propreté passe par le numéro vert de la commune."
    )
    page.context.set_offline(False)
    expect(page.get_by_role("alert")).to_contain_text("Un signalement a été refusé à l'envoi")
    item = page.locator("#hors-ligne-liste li")
    expect(item).to_contain_text("Non envoyé : ")
    expect(item).to_contain_text("La propreté passe par le numéro vert de la commune.")
    expect(page.get_by_role("heading", name="En attente d'envoi (1)")).to_be_visible()
    assert Signalement.objects.count() == 0
    shoot(page, "refuse")
    # Still there after a reload (it is not retried: the same content would be refused again).
    page.reload()
    expect(item).to_contain_text("Non envoyé : ")
    page.get_by_role("button", name="Retirer de la liste").click()
    expect(page.locator("#hors-ligne-attente")).to_be_hidden()
    expect(page.locator("#hors-ligne-message")).to_have_text("Signalement retiré de la liste d'attente.")
    assert Signalement.objects.count() == 0


def test_an_agent_whose_session_ended_signs_in_again_and_the_report_leaves(page, portal, agent_marseille):
    log_in(page, portal, agent_marseille.email)
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
    file_offline(page, portal, "Signalisation et feux", "Panneau stop couché.")
    page.context.clear_cookies()  # the session ended while the agent was in the field
    page.context.set_offline(False)
    expect(page.locator("#hors-ligne-liste li")).to_contain_text("connectez-vous avec ce compte")
    assert Signalement.objects.count() == 0  # never filed as an anonymous citizen
    # Signing in rotates the CSRF token: the replay asks for the new one.
    page.get_by_role("link", name="Se connecter pour l'envoyer").click()
    expect(page).to_have_url(re.compile(r"/comptes/login/\?next=/signalements/nouveau/"))
    log_in(page, portal, agent_marseille.email)
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()
    page.goto(portal + "/signalements/nouveau/")
    expect(page.locator("#hors-ligne-message")).to_contain_text("Signalement envoyé")
    report = Signalement.objects.get()
    assert report.reporter == agent_marseille and report.categorie.code == "signalisation"


def test_the_offline_page_and_its_pending_list_have_no_wcag_violation(audit_page, portal):  # noqa: F811
    file_offline(audit_page, portal, "Propreté", "Sacs éventrés sur le trottoir.")
    audit_page.get_by_role("button", name="Envoyer le signalement").click()  # incomplete: the alert
    expect(audit_page.get_by_role("alert")).to_contain_text("pas encore complet")
    for width in (1280, 320):
        audit_page.set_viewport_size({"width": width, "height": 900})
        assert violations(audit_page) == [], width
        # Nothing wider than the screen at 320 px.
        assert audit_page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_chromium_finds_the_filing_page_installable(page, portal):
    open_controlled(page, portal + "/signalements/nouveau/")
    cdp = page.context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/signalements/hors-ligne/manifest.webmanifest")
    assert manifest["errors"] == []
    errors = [error["errorId"] for error in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # Playwright's contexts are incognito ones, where Chromium installs nothing: the only reason left.
    assert errors == ["in-incognito"]


def test_past_the_filing_limit_the_report_waits_and_says_why(page, portal, settings):
    file_offline(page, portal, "Propreté", "Sacs éventrés sur le trottoir.")
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 0
    page.context.set_offline(False)
    item = page.locator("#hors-ligne-liste li")
    expect(item).to_contain_text("minute")  # the limit's own message, with its delay
    expect(item).not_to_contain_text("Non envoyé")  # not refused: it leaves once the limit allows
    expect(page.get_by_role("heading", name="En attente d'envoi (1)")).to_be_visible()
    assert Signalement.objects.count() == 0
