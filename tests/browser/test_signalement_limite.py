"""The filing limit is said before the form is filled in, and a refusal keeps what was typed."""

import pytest
from playwright.sync_api import expect

from signalements.models import Signalement
from tests.browser.signalements_data import open_proprete_in_marseille
from tests.browser.test_accessibility import violations
from tests.signalements.conftest import image_file

pytestmark = pytest.mark.browser


@pytest.fixture
def portal(live_server, territoire):
    open_proprete_in_marseille(territoire)
    return live_server.url


def fill_in(page, tmp_path):
    page.locator("details.coords summary").click()
    page.fill("#id_lat", "43.2951")
    page.fill("#id_lon", "5.3741")
    page.locator("#id_lon").dispatch_event("change")
    expect(page.locator("#categorie-proprete")).to_be_enabled()
    page.get_by_label("Propreté").check()
    page.get_by_label("Description").fill("Sacs éventrés devant le 12.")
    page.get_by_label("Adresse électronique (facultatif)").fill("habitant@exemple.fr")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(image_file().read())
    page.get_by_label("Photos").set_input_files(str(photo))


@pytest.fixture
def page(browser):
    # bypass_csp: the axe audit script is injected by the test.
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_refused_filing_says_why_and_keeps_the_typing(page, portal, settings, tmp_path):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 0
    page.goto(portal + "/signalements/nouveau/")
    # Said at the top before anything is typed, with when to come back and what helps.
    notice = page.locator(".limite-depot")
    expect(notice).to_contain_text("Trop de signalements envoyés depuis votre connexion")
    expect(notice).to_contain_text("Vous pourrez en envoyer un nouveau à partir de")
    expect(notice.get_by_role("link", name="créer un compte")).to_be_visible()

    fill_in(page, tmp_path)
    page.get_by_role("button", name="Envoyer le signalement").click()
    refusal = page.get_by_role("alert").filter(has_text="celui-ci n'a pas été envoyé")
    expect(refusal).to_contain_text("Ajoutez à nouveau votre photo")
    expect(page.locator("main")).not_to_contain_text("corrigez les champs")
    expect(page.get_by_label("Description")).to_have_value("Sacs éventrés devant le 12.")
    expect(page.get_by_label("Adresse électronique (facultatif)")).to_have_value("habitant@exemple.fr")
    assert float(page.input_value("#id_lat")) == pytest.approx(43.2951)
    expect(page.locator("#lieu-statut")).to_contain_text("Marseille")
    expect(page.get_by_label("Propreté")).to_be_checked()
    assert not Signalement.objects.exists()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert violations(page) == [], width
