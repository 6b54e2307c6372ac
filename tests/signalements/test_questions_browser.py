"""The filing form in Chromium: a category's questions appear when it is chosen, a blocking answer
stops the sending at once, a required answer is asked, and the report is filed with its answers."""

import pytest
from playwright.sync_api import expect

from signalements.enums import Ouverture
from signalements.models import CategorieCommune, Signalement
from tests.browser.test_accessibility import violations

from .questions_support import questions_fixture  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = "/work/helpers/shots"


@pytest.fixture
def portal(live_server, marseille, categories, questions):
    for code in ("proprete", "eclairage", "voirie"):
        CategorieCommune.objects.create(
            commune=marseille, categorie=categories[code], ouverture=Ouverture.TOUS
        )
    return live_server.url


def place_at_vieux_port(page):
    page.locator("details.coords summary").click()
    page.fill("#id_lat", "43.2951")
    page.fill("#id_lon", "5.3741")
    page.locator("#id_lon").dispatch_event("change")
    expect(page.locator("#lieu-statut")).to_contain_text("Repère placé à Marseille.")


def screenshot(page, name):
    import os

    if os.path.isdir(SHOTS):
        page.screenshot(path=f"{SHOTS}/questions-{name}.png", full_page=True)


def test_questions_follow_the_category_block_and_file(page, portal):
    page.goto(portal + "/signalements/nouveau/")
    place_at_vieux_port(page)
    eclairage = page.locator("#questions-eclairage")
    voirie = page.locator("#questions-voirie")
    # No category chosen: no question shown.
    expect(eclairage).to_be_hidden()
    expect(voirie).to_be_hidden()

    page.get_by_label("Éclairage public").check()
    expect(eclairage).to_be_visible()
    expect(voirie).to_be_hidden()
    danger = page.get_by_role("group", name="Y a-t-il un danger immédiat ? (obligatoire)")
    expect(danger).to_be_visible()
    danger.get_by_label("Oui : câble à nu").check()
    alert = eclairage.locator(".question-alerte")
    expect(alert).to_contain_text("Danger immédiat")
    expect(alert).to_contain_text("appelez le 112")
    expect(alert).to_have_attribute("aria-live", "assertive")
    submit = page.get_by_role("button", name="Envoyer le signalement")
    expect(submit).to_be_disabled()
    expect(page.locator("#envoi-bloque")).to_contain_text("ne peut pas être envoyé ici")
    screenshot(page, "bloquant-1280")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "bloquant-320")
    page.set_viewport_size({"width": 1280, "height": 900})

    danger.get_by_label("Non", exact=True).check()
    expect(alert).to_be_empty()
    expect(submit).to_be_enabled()

    # Another category: its questions instead, and the blocking state is gone with the first.
    page.get_by_label("Voirie et trottoirs").check()
    expect(eclairage).to_be_hidden()
    expect(voirie).to_be_visible()
    page.get_by_label("Description").fill("Trou profond devant l'arrêt de bus.")
    page.get_by_label("Piétons").check()
    page.get_by_label("Cyclistes").check()
    submit.click()
    # The required answer is asked by the server; the others are kept.
    taille_error = page.locator("#id_reponse-voirie-taille_error")
    expect(taille_error).to_have_text(
        "Répondez à la question « Quelle taille fait le trou ou la dégradation ? »."
    )
    expect(page.locator("#questions-voirie")).to_be_visible()
    expect(page.get_by_label("Piétons")).to_be_checked()
    expect(page.get_by_label("Cyclistes")).to_be_checked()
    screenshot(page, "erreur-1280")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "erreur-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("De 20 à 50 cm").check()
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signalement S-")
    report = Signalement.objects.get()
    assert report.reponses == {"taille": "moyen", "genes": ["pietons", "velos"]}


@pytest.fixture
def csp_free_page(browser):
    # axe's script is injected by the test: the portal's CSP rightly forbids it.
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    yield context.new_page()
    context.close()


def test_questions_blocking_and_errors_have_no_wcag_violation(csp_free_page, portal):
    page = csp_free_page
    page.goto(portal + "/signalements/nouveau/")
    place_at_vieux_port(page)
    page.get_by_label("Éclairage public").check()
    page.get_by_label("Oui : câble à nu").check()
    expect(page.locator("#questions-eclairage .question-alerte")).to_contain_text("112")
    assert violations(page) == []
    page.get_by_label("Voirie et trottoirs").check()
    page.get_by_label("Description").fill("Trou.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator("#id_reponse-voirie-taille_error")).to_be_visible()
    assert violations(page) == []


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_the_server_says_the_blocking_message(page_without_js, portal):
    page = page_without_js
    page.goto(portal + "/signalements/nouveau/")
    # Every group is there, each saying when it applies.
    expect(page.locator("#questions-eclairage")).to_be_visible()
    expect(page.locator("#questions-voirie .questions-si")).to_have_text(
        "À remplir si vous choisissez « Voirie et trottoirs »."
    )
    page.locator("details.coords summary").click()
    page.fill("#id_lat", "43.2951")
    page.fill("#id_lon", "5.3741")
    page.get_by_label("Éclairage public").check()
    page.get_by_label("Oui : câble à nu").check()
    page.get_by_label("Description").fill("Candélabre couché sur le trottoir.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator("#id_reponse-eclairage-danger_error")).to_contain_text("appelez le 112")
    expect(page.get_by_label("Oui : câble à nu")).to_be_checked()
    assert not Signalement.objects.exists()
