"""In Chromium: zoom in on the street, see the street lights, choose one (mouse, then keyboard in the
list of the nearest), file, and the report points at it."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from playwright.sync_api import expect

from signalements import services
from signalements.demo import load_categories
from signalements.enums import Ouverture
from signalements.models import Actif, Categorie, CategorieCommune, Signalement

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "actifs" / "points_lumineux_marseille.geojson"
SHOTS = Path("/work/helpers/shots")


@pytest.fixture
def portal(live_server, territoire):
    load_categories()
    for code in ("eclairage", "proprete"):
        CategorieCommune.objects.create(
            commune=territoire.get(insee="13055"),
            categorie=Categorie.objects.get(code=code),
            ouverture=Ouverture.TOUS,
        )
    call_command("import_actifs", str(FIXTURE), "--categorie", "eclairage", stdout=io.StringIO(), verbosity=0)
    return live_server.url


def place(page, lat, lon):
    page.locator("details.coords").evaluate("details => { details.open = true; }")
    page.fill("#id_lat", str(lat))
    page.fill("#id_lon", str(lon))
    page.locator("#id_lon").dispatch_event("change")


def shoot(page, name):
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"actifs-{name}.png"), full_page=True)


def test_choose_a_street_light_on_the_map_and_file_on_it(page, portal):
    page.goto(portal + "/signalements/nouveau/")
    # South-west of the lights, so that the pin's icon covers none of them.
    place(page, 43.29660, 5.37800)
    expect(page.locator("#lieu-statut")).to_contain_text("Marseille")
    status = page.locator("#actifs-statut")
    expect(status).to_have_attribute("aria-live", "polite")
    page.get_by_label("Éclairage public").check()
    # Zoom 16 after placing: the lights are not drawn yet, the list of the nearest already is.
    expect(status).to_have_text(
        "Zoomez au niveau de la rue pour voir les équipements « Éclairage public » sur la carte."
    )
    expect(page.locator("#actifs-liste button")).to_have_count(2)
    expect(page.locator(".actif-marqueur")).to_have_count(0)

    page.locator(".leaflet-control-zoom-in").click()
    expect(page.locator(".actif-marqueur")).to_have_count(3)
    expect(status).to_contain_text("3 équipements « Éclairage public » sur la carte")
    shoot(page, "carte-1280")

    # With the mouse: the light of rue Longue des Capucins, 150 m away, already reported (from
    # further still): the open report on the same light is proposed first, whatever the distance.
    earlier = services.file_signalement(
        user=AnonymousUser(), categorie=Categorie.objects.get(code="eclairage"), description="Éteint.",
        lon=0, lat=0, actif=Actif.objects.get(identifiant="EP-13201-00414"),
    )  # fmt: skip
    name = "Choisir Console murale EP-13201-00414 (Rue Longue des Capucins)"
    page.locator(f'.actif-marqueur[aria-label="{name}"]').click()
    expect(status).to_have_text(
        "Signalement placé sur l'équipement Console murale EP-13201-00414 (Rue Longue des Capucins)."
    )
    assert page.locator("input[name=actif]").input_value() == "EP-13201-00414"
    assert (page.input_value("#id_lat"), page.input_value("#id_lon")) == ("43.297660", "5.379610")
    expect(page.locator("#proches-liste li").first).to_contain_text(f"Même équipement · {earlier.reference}")
    shoot(page, "doublon-1280")

    # With the keyboard: the list of the lights nearest the pin (now on that light), a button each.
    other = page.get_by_role(
        "button", name=re.compile(r"^Candélabre EP-13201-00413 \(La Canebière \(côté pair\)\) — à \d+ m$")
    )
    other.focus()
    page.keyboard.press("Enter")
    expect(status).to_contain_text("EP-13201-00413")
    expect(page.get_by_role("button", name="Ne viser aucun équipement")).to_be_visible()
    shoot(page, "choisi-1280")

    page.get_by_label("Description").fill("Le candélabre clignote toute la nuit.")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.locator("h1")).to_contain_text("Signalement")
    report = Signalement.objects.exclude(pk=earlier.pk).get()
    assert report.actif_identifiant == "EP-13201-00413" and report.actif.nature == "Candélabre"


def test_moving_the_pin_drops_the_asset_and_says_so_at_320px(page, portal):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(portal + "/signalements/nouveau/")
    place(page, 43.29690, 5.37830)
    page.get_by_label("Éclairage public").check()
    page.locator("#actifs-liste button").first.click()
    expect(page.locator("#actifs-statut")).to_contain_text("Signalement placé sur l'équipement")
    shoot(page, "choisi-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    place(page, 43.29500, 5.37400)
    expect(page.locator("#actifs-statut")).to_have_text(
        "Le repère a été déplacé : plus aucun équipement n'est visé."
    )
    assert page.locator("input[name=actif]").input_value() == ""


def test_the_form_with_lights_shown_and_one_chosen_has_no_wcag_violation(browser, portal):
    from tests.browser.test_accessibility import violations

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(portal + "/signalements/nouveau/")
        place(page, 43.29660, 5.37800)
        page.get_by_label("Éclairage public").check()
        page.locator(".leaflet-control-zoom-in").click()
        expect(page.locator(".actif-marqueur")).to_have_count(3)
        page.locator("#actifs-liste button").first.click()
        expect(page.locator("#actifs-statut")).to_contain_text("Signalement placé sur l'équipement")
        assert violations(page) == []
    finally:
        context.close()
