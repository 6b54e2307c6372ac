"""Filing a report and moving a pin with the keyboard only: no mouse, no typed coordinates."""

import pytest
from django.contrib.auth.models import AnonymousUser
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from signalements import services
from signalements.demo import load_categories
from signalements.enums import Ouverture
from signalements.models import Categorie, CategorieCommune, Signalement
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

DESCRIPTION = "Dépôt sauvage de cartons."


@pytest.fixture
def portal(live_server, territoire):
    load_categories()
    CategorieCommune.objects.create(
        commune=territoire.get(insee="13055"),
        categorie=Categorie.objects.get(code="proprete"),
        ouverture=Ouverture.TOUS,
    )
    return live_server.url


class Keyboard:
    """page.keyboard that counts the keys pressed, for the journey's step count."""

    def __init__(self, page):
        self.page = page
        self.presses = 0

    def press(self, key, times=1):
        for _ in range(times):
            self.page.keyboard.press(key)
            self.presses += 1

    def type(self, text):
        self.page.keyboard.type(text)
        self.presses += len(text)

    def focused(self, script="el => el.id"):
        return self.page.evaluate(f"({script})(document.activeElement)")

    def tab_to(self, wanted, script="el => el.id", limit=60):
        """Tab forward until the focused element answers `wanted` (no key if it already has the focus)."""
        for _ in range(limit):
            if self.focused(script) == wanted:
                return
            self.press("Tab")
        raise AssertionError(f"{wanted} never got the focus")


def finish_filing(page, keys):
    """Category, description and submission: the same keys in every journey."""
    keys.tab_to("categorie-proprete")
    keys.press("Space")
    keys.tab_to("id_description")
    keys.type(DESCRIPTION)
    keys.tab_to("Envoyer le signalement", script="el => el.textContent.trim()")
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signalement S-")
    report = Signalement.objects.get()
    assert report.commune.insee == "13055"
    assert report.categorie.code == "proprete"
    return report


def test_keyboard_only_filing_places_the_pin_from_the_place_search(page, portal, capsys):
    page.goto(portal + "/signalements/nouveau/")
    map_el = page.locator("#carte-signalement")
    expect(map_el).to_have_attribute("data-communes", "92")
    keys = Keyboard(page)

    keys.tab_to("recherche-lieu")
    keys.type("marseille")
    keys.press("Enter")
    expect(page.get_by_role("button", name="Marseille (commune)")).to_be_visible()  # before tabbing
    keys.tab_to("Marseille (commune)", script="el => el.textContent")
    keys.press("Enter")
    # Focus stays where the person works: on the map, centred on the commune, with the way on.
    assert keys.focused() == "carte-signalement"
    expect(page.locator("#lieu-statut")).to_contain_text("appuyez sur Entrée pour placer le repère au centre")
    crosshair = map_el.evaluate("el => getComputedStyle(el, '::after').content")
    assert crosshair not in ("none", "normal")

    keys.press("ArrowDown", times=2)  # the map pans (Leaflet's keyboard handler)
    keys.press("ArrowLeft")
    keys.press("Enter")
    expect(page.locator("#lieu-statut")).to_have_text("Repère placé à Marseille. 1 catégorie ouverte ici.")
    placed_after = keys.presses
    lon_placed = float(page.input_value("#id_lon"))
    lat_placed = float(page.input_value("#id_lat"))
    assert 5.2 < lon_placed < 5.5 and 43.2 < lat_placed < 43.4

    # The pin is the next stop; arrows nudge it east, and the form follows.
    keys.press("Tab")
    assert keys.focused("el => el.getAttribute('alt')") == "Repère du signalement (les flèches le déplacent)"
    keys.press("ArrowRight", times=2)
    expect(page.locator("#id_lon")).not_to_have_value(f"{lon_placed:.6f}")
    lon_nudged = float(page.input_value("#id_lon"))
    assert lon_nudged > lon_placed
    assert float(page.input_value("#id_lat")) == pytest.approx(lat_placed, abs=5e-5)  # pixel rounding only

    report = finish_filing(page, keys)
    assert report.geom.transform(4326, clone=True).x == pytest.approx(lon_nudged, abs=1e-5)
    with capsys.disabled():
        print(
            f"\n[repère au clavier] repère placé après {placed_after} touches ; "
            f"dépôt : {keys.presses} touches "
            f"(dont {len(DESCRIPTION)} pour la description, 3 pour ajuster le repère)"
        )


def test_keyboard_only_filing_with_typed_coordinates_still_works(page, portal, capsys):
    """The only keyboard way before the map took the keyboard: counted for comparison."""
    page.goto(portal + "/signalements/nouveau/")
    keys = Keyboard(page)
    keys.tab_to("Saisir les coordonnées", script="el => el.textContent")
    keys.press("Enter")
    keys.tab_to("id_lat")
    keys.type("43.2951")
    keys.tab_to("id_lon")
    keys.type("5.3741")
    keys.press("Tab")
    expect(page.locator("#lieu-statut")).to_have_text("Repère placé à Marseille. 1 catégorie ouverte ici.")
    placed_after = keys.presses
    finish_filing(page, keys)
    with capsys.disabled():
        print(
            f"\n[coordonnées tapées] repère placé après {placed_after} touches ; "
            f"dépôt : {keys.presses} touches "
            f"(dont {len(DESCRIPTION)} pour la description)"
        )


def test_back_office_moves_the_pin_with_the_keyboard(page, portal):
    report = services.file_signalement(
        user=AnonymousUser(),
        categorie=Categorie.objects.get(code="proprete"),
        description="Encombrants.",
        lon=5.3741,
        lat=43.2951,
    )
    user = UserFactory(email="tri@exemple.fr", role=Role.GESTIONNAIRE_SIGNALEMENTS)
    page.goto(portal + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(portal + f"/signalements/gestion/{report.pk}/")
    map_el = page.locator("#carte-detail")
    # The map is centred on the report (a French "43,2951" used to be read as 43, in the sea):
    # the Vieux-Port lies in Marseille's 1st or 2nd arrondissement, whose outline fills the view.
    expect(map_el).to_have_attribute("data-fond", "fin")
    drawn = ".leaflet-fond-pane path:not([d='M0 0'])"
    expect(page.locator(drawn).first).to_be_attached()

    page.get_by_role("button", name="Repère du signalement (les flèches le déplacent)").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#id_lon")).not_to_have_value("")
    assert float(page.input_value("#id_lon")) > 5.3741
    map_el.focus()
    page.keyboard.press("ArrowUp")  # pans the map north
    page.keyboard.press("Enter")  # brings the pin to the centre
    page.wait_for_function("() => parseFloat(document.getElementById('id_lat').value) > 43.2952")
    moved_lat = float(page.input_value("#id_lat"))
    page.get_by_role("button", name="Enregistrer la requalification").click()
    expect(page.locator(".notice-success")).to_be_visible()
    report.refresh_from_db()
    assert report.geom.transform(4326, clone=True).y == pytest.approx(moved_lat, abs=1e-5)
