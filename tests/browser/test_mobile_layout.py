"""Small screens (390 px phone, 320 px = 1280 px at 400 % zoom, WCAG 1.4.10): no page is wider
than the screen, tables scroll inside a labelled region, words and numbers never split."""

import pytest

from observatoire.accounts.enums import Role
from observatoire.territoires.models import Commune
from tests.factories import PASSWORD, UserFactory
from tests.indicateurs.valeurs import indicateurs  # noqa: F401  (the fixture below)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("indicateurs")]

PAGES = [
    "/",
    "/observatoires/",
    "/observatoires/habitat/",
    "/territoires/13001/",
    "/opendata/",
    "/opendata/communes-metropole/",
    "/gouvernance/",
    "/gouvernance/algorithmes/",
]

# Every page holding a <table> (grep templates for "<table"), public first, then by role.
PAGES_WITH_TABLES = {
    None: [
        "/",
        "/territoires/13001/",
        "/territoires/13055/",
        "/observatoires/habitat/tableau-de-bord/?indicateur=taux-vacance",
        "/territoires/comparer/?communes=13001&communes=13055&communes=13056",
        "/opendata/communes-metropole/",
        "/gouvernance/",
        "/signalements/carte/",
        "/foncier/zan/",
        "/mobilite/reseau/",
        "/mobilite/flux/",
        "/observatoires/indicateurs/taux-vacance/carte/",
    ],
    Role.AGD: ["/gouvernance/registre/", "/gouvernance/acces/demandes/", "/gouvernance/telechargements/"],
    Role.PARTENAIRE: ["/gouvernance/acces/mes-demandes/"],
    Role.GESTIONNAIRE_SIGNALEMENTS: ["/signalements/gestion/", "/signalements/tableau-de-bord/"],
    Role.AGENT_METROPOLITAIN: ["/foncier/gisements/"],
    Role.ADMIN_COMMUNAL: ["/signalements/gestion/categories/"],
    Role.CITOYEN: ["/signalements/mes-signalements/"],
}

# What a page shows at 320 px, measured in the browser: widths, height, and the words of table
# cells and facts (dd) that the browser split over two lines (a split word gives several boxes).
MEASURE = """() => {
  const split = [];
  for (const cell of document.querySelectorAll('main td, main th, main dd')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Hyphens and spaces are where French text may wrap; anything else is a broken word.
      for (const match of node.textContent.matchAll(/[^\\s\\-\u2011]+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        if (range.getClientRects().length > 1) split.push(match[0]);
      }
    }
  }
  const unlabelled = [...document.querySelectorAll('main table')].filter(table => {
    const region = table.closest('[role=region]');
    const label = region && (region.getAttribute('aria-label')
      || document.getElementById(region.getAttribute('aria-labelledby')));
    return !region || region.tabIndex !== 0 || !label;
  }).length;
  return {width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
          split: split.slice(0, 5), unlabelled};
}"""


@pytest.fixture
def portal(demo_portal):
    return demo_portal


def test_no_page_scrolls_sideways_on_a_phone(browser, portal):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    page = context.new_page()
    wide = {}
    for path in PAGES:
        page.goto(portal + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            wide[path] = width
    context.close()
    assert wide == {}


def measure_pages(browser, base, width):
    """{(role, path): measures} of every page with a table, at a given screen width."""
    found = {}
    for role, paths in PAGES_WITH_TABLES.items():
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 800})
        page = context.new_page()
        if role:
            email = f"{role.value}-{width}@exemple.fr"
            UserFactory(email=email, role=role, communes=Commune.objects.filter(insee="13055"))
            page.goto(base + "/comptes/login/")
            page.get_by_label("Adresse électronique").fill(email)
            page.get_by_label("Mot de passe").fill(PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_load_state()
        for path in paths:
            response = page.goto(base + path)
            assert response.status == 200, (role, path, response.status)
            assert "/comptes/login/" not in page.url, (role, path)
            found[role, path] = page.evaluate(MEASURE)
        context.close()
    return found


def test_tables_scroll_in_their_region_and_never_split_a_word(browser, portal):
    narrow = measure_pages(browser, portal, 320)
    wide = measure_pages(browser, portal, 1280)
    problems = {}
    for key, at_320 in narrow.items():
        # Reflowing a 1 200 px text column into 290 px makes text about four times taller; tables
        # scroll instead of reflowing, so a page more than four times its desktop height (plus
        # the stacked header) has text squeezed letter by letter.
        bound = 4 * wide[key]["height"] + 1000
        if at_320["width"] > 320 or at_320["height"] > bound or at_320["split"] or at_320["unlabelled"]:
            problems[key] = {**at_320, "bound": bound}
        if wide[key]["width"] > 1280 or wide[key]["split"]:
            problems[key, 1280] = wide[key]
    assert problems == {}
