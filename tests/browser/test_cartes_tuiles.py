"""The heavy maps on vector tiles (MapLibre inside Leaflet, docs/adr/0014): in Chromium, each page
asks the OGC tiles of its collections, gets Mapbox Vector Tiles, draws them and logs no error.

MapLibre draws with WebGL, which Debian's Chromium gives headless through SwiftShader: the tests
read what was drawn back from MapLibre (``queryRenderedFeatures``) and click where it was drawn.
Screenshots of each page at 1280 and 320 pixels go to SCREENS for a human to look at.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from foncier.dvf.importer import import_path
from foncier.dvf.indicateurs import recompute
from foncier.models import ZonePlu
from observatoire.accounts.enums import Role
from signalements.enums import Status
from signalements.models import Signalement
from tests.browser.signalements_data import open_proprete_in_marseille
from tests.browser.test_accessibility import violations
from tests.browser.test_poids_des_pages import deployed_portal  # noqa: F401 (fixture)
from tests.factories import UserFactory
from tests.foncier.test_dvf import sample_rows, text, write
from tests.foncier.test_pages_foncier import foncier  # noqa: F401 (fixture)
from tests.mobilite.gtfs_files import write_zip

pytestmark = pytest.mark.browser

MVT = "application/vnd.mapbox-vector-tile"
STATUS_GISEMENTS = "2 gisements sur la carte, sur le zonage du PLUi."
SCREENS = Path(os.environ.get("SCREENS_DIR", "/work/screens"))


@pytest.fixture
def watched(page):
    """The page, with the tile answers and console errors it gets recorded."""
    page.tiles, page.console_errors, page.requests_seen = [], [], []
    page.on("request", lambda r: page.requests_seen.append(r.url))
    page.on(
        "response",
        lambda r: (
            page.tiles.append((r.url, r.status, r.headers.get("content-type")))
            if "/tiles/WebMercatorQuad/" in r.url and not r.url.endswith("tilejson.json")
            else None
        ),
    )
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    return page


def log_in(page, base, role):
    """A user of ``role`` with a session in the browser (the login form has its own tests)."""
    user = UserFactory(role=role)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])
    return user


def drawn(page, map_id, layers):
    """Features MapLibre drew on ``map_id`` for ``layers`` (their properties)."""
    return page.evaluate(
        """([id, layers]) => document.getElementById(id).observatoireTuiles.gl
             .queryRenderedFeatures({layers}).map(f => f.properties)""",
        [map_id, layers],
    )


def click_drawn(page, map_id, layer, where=None):
    """Click, with the mouse, the first feature of ``layer`` drawn (with the properties ``where``):
    a point on itself, a polygon in the middle of its outer ring's vertices, a line in the middle
    of one of its segments that is in view and away from the other layers (a stop on it)."""
    page.locator(f"#{map_id}").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """([id, layer, where]) => {
             const el = document.getElementById(id), t = el.observatoireTuiles;
             const f = t.gl.queryRenderedFeatures({layers: [layer]})
               .find(f => Object.entries(where || {}).every(([k, v]) => f.properties[k] === v));
             const g = f.geometry, size = t.map.getSize();
             const toPoint = c => t.map.latLngToContainerPoint([c[1], c[0]]);
             let p;
             if (g.type === "Point") p = toPoint(g.coordinates);
             else if (g.type.endsWith("Polygon")) {
               const ring = g.type === "Polygon" ? g.coordinates[0] : g.coordinates[0][0];
               p = toPoint([0, 1].map(i => ring.reduce((sum, v) => sum + v[i], 0) / ring.length));
             } else {
               const parts = g.type === "LineString" ? [g.coordinates] : g.coordinates;
               const middles = parts.flatMap(line => line.slice(1).map((c, i) =>
                 toPoint([(c[0] + line[i][0]) / 2, (c[1] + line[i][1]) / 2])));
               p = middles.find(m => m.x > 0 && m.y > 0 && m.x < size.x && m.y < size.y
                 && t.gl.queryRenderedFeatures(t.gl.project(t.map.containerPointToLatLng(m)))
                      .every(o => o.layer.id === layer));
             }
             const box = el.getBoundingClientRect();
             return [box.left + p.x, box.top + p.y];
           }""",
        [map_id, layer, where],
    )
    page.mouse.click(x, y)


def wait_drawn(page, map_id, layers, count=None):
    try:
        page.wait_for_function(
            """([id, layers, count]) => {
                 const t = document.getElementById(id).observatoireTuiles;
                 if (!t || !t.gl.loaded()) return false;
                 const n = t.gl.queryRenderedFeatures({layers}).length;
                 return count === null ? n > 0 : n === count;
               }""",
            arg=[map_id, layers, count],
            timeout=15000,
        )
    except PlaywrightTimeoutError:
        state = page.evaluate(
            """([id, layers]) => {
                 const t = document.getElementById(id).observatoireTuiles;
                 if (!t) return "no MapLibre map";
                 return {zoom: t.map.getZoom(), glZoom: t.gl.getZoom(), loaded: t.gl.loaded(),
                         drawn: t.gl.queryRenderedFeatures({layers}).map(f => f.properties)};
               }""",
            [map_id, layers],
        )
        message = f"{layers} not drawn: {state}; tiles {page.tiles}; console {page.console_errors}"
        raise AssertionError(message) from None


def zoom_to(page, map_id, lat, lon, zoom):
    """Set the Leaflet view, again until it holds (a fitBounds of the page may still be animating)."""
    page.wait_for_function(
        """([id, lat, lon, zoom]) => {
             const t = document.getElementById(id).observatoireTuiles;
             if (!t) return false;  // MapLibre is imported on first use: slower on a loaded machine
             const m = t.map, c = m.getCenter();
             if (m.getZoom() === zoom && Math.abs(c.lat - lat) + Math.abs(c.lng - lon) < 1e-5) return true;
             m.setView([lat, lon], zoom, {animate: false});
             return false;
           }""",
        arg=[map_id, lat, lon, zoom],
        polling=300,
    )


def assert_mvt_tiles(page):
    assert page.tiles, "no vector tile was requested"
    # An empty tile answers 204; every tile with features is a Mapbox Vector Tile.
    assert {status for _, status, _ in page.tiles} <= {200, 204, 304}, page.tiles
    assert {kind for _, status, kind in page.tiles if status == 200} == {MVT}, page.tiles


def screenshots(page, map_id, name):
    """The map and what follows it (legend, status), at 1280 then 320 pixels wide."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900 if width > 320 else 700})
        page.locator(f"#{map_id}").evaluate("el => el.scrollIntoView()")
        page.wait_for_timeout(600)  # Leaflet and MapLibre redraw at the new size; popups fade in
        page.screenshot(path=SCREENS / f"{name}-{width}.png")
    page.set_viewport_size({"width": 1280, "height": 900})


def open_popup(page, map_id, layer, text, where=None):
    click_drawn(page, map_id, layer, where)
    popup = page.locator(".leaflet-popup-content").last  # a closed popup may still be fading out
    expect(popup).to_contain_text(text)
    return popup


def tiles_drawn_cleanly(page, map_id, name):
    """MVT answers only, screenshots taken, and not one error in the console."""
    assert_mvt_tiles(page)
    screenshots(page, map_id, name)
    assert page.console_errors == []


def test_network_map_draws_stops_and_lines_from_tiles(watched, live_server, territoire, tmp_path):
    page = watched
    call_command("import_gtfs", write_zip(tmp_path / "gtfs.zip"))
    page.goto(live_server.url + "/mobilite/reseau/")
    expect(page.locator("#carte-reseau")).to_have_attribute("data-tuiles", "chargees")
    expect(page.locator("#carte-reseau-statut")).to_have_text(
        "3 arrêts, 3 lignes. Cliquez sur un arrêt ou une ligne pour le détail."
    )
    wait_drawn(page, "carte-reseau", ["reseau-arrets"], 3)
    stops = drawn(page, "carte-reseau", ["reseau-arrets"])
    assert {s["nom"] for s in stops} >= {"Rotonde"}
    assert drawn(page, "carte-reseau", ["reseau-lignes"])
    open_popup(page, "carte-reseau", "reseau-arrets", "passages un jour de semaine type")
    tiles_drawn_cleanly(page, "carte-reseau", "reseau")


def test_public_reports_map_shows_tiles_of_reports_at_street_zoom(watched, live_server, territoire):
    page = watched
    proprete = open_proprete_in_marseille(territoire)
    marseille = territoire.get(insee="13055")
    for i in range(4):
        geom = Point(5.3800 + i * 0.0003, 43.2990, srid=4326)
        geom.transform(2154)
        Signalement.objects.create(
            commune=marseille, categorie=proprete, geom=geom, status=Status.NOUVEAU,
            description="Dépôt relu.", description_validee=True,
        )  # fmt: skip
    page.goto(live_server.url + "/signalements/carte/")
    expect(page.locator("#carte-signalements-statut")).to_have_text("4 signalements dans cette vue.")
    assert page.tiles == []  # clusters above street zoom: no tile asked…
    assert not [r for r in page.requests_seen if "maplibre" in r]  # …nor MapLibre downloaded
    screenshots(page, "carte-signalements", "signalements-clusters")
    # Down to street zoom, cluster by cluster: MapLibre is loaded only there.
    for _ in range(6):
        if page.locator(".cluster-icon").count() == 0:
            break
        page.locator(".cluster-icon").first.click()
        page.wait_for_timeout(600)
    wait_drawn(page, "carte-signalements", ["signalements-points"], 4)
    expect(page.locator("#carte-signalements-statut")).to_have_text("4 signalements dans cette vue.")
    expect(page.locator(".cluster-icon")).to_have_count(0)
    popup = open_popup(page, "carte-signalements", "signalements-points", "Propreté")
    expect(popup).to_contain_text("S-")
    expect(popup).to_contain_text("Dépôt relu.")  # the description, asked once the popup opens
    tiles_drawn_cleanly(page, "carte-signalements", "signalements-rue")


def test_gisements_map_draws_the_plui_zoning_from_tiles(watched, live_server, foncier):  # noqa: F811
    page = watched
    log_in(page, live_server.url, Role.AGENT_METROPOLITAIN)
    page.goto(live_server.url + "/foncier/gisements/")
    expect(page.locator("#carte-gisements-statut")).to_have_text(
        "2 gisements sur la carte, sur le zonage du PLUi."
    )
    # The zones of the test are 100 m wide: generalised away at the metropolis' scale, drawn closer.
    zone = ZonePlu.objects.get(libelle="UA").geom.point_on_surface.transform(4326, clone=True)
    zoom_to(page, "carte-gisements", zone.y, zone.x, 16)
    wait_drawn(page, "carte-gisements", ["plui-surfaces"])
    zones = drawn(page, "carte-gisements", ["plui-surfaces"])
    assert {z["typezone"] for z in zones} >= {"U", "AUc"}
    open_popup(page, "carte-gisements", "plui-surfaces", "UA (U) · Aix-en-Provence", {"libelle": "UA"})
    expect(page.locator("#legende-gisements li")).to_have_count(9)
    tiles_drawn_cleanly(page, "carte-gisements", "gisements-plui")


@pytest.fixture
def ventes(territoire, aix, marseille, tmp_path):
    import_path(write(tmp_path, text(sample_rows())))
    recompute()


def test_dvf_map_is_refused_to_a_citizen(watched, live_server, territoire):
    page = watched
    log_in(page, live_server.url, Role.CITOYEN)
    response = page.goto(live_server.url + "/foncier/dvf/carte/")
    assert response.status == 403
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    expect(page.locator("#carte-dvf")).to_have_count(0)
    # Nor its tiles.
    tile = page.request.get(
        live_server.url + "/ogc/collections/dvf-mutations/tiles/WebMercatorQuad/12/1496/2124"
    )
    assert tile.status == 403


def test_dvf_map_shows_cells_then_each_sale_to_an_agent(watched, live_server, ventes):
    page = watched
    log_in(page, live_server.url, Role.AGENT_METROPOLITAIN)
    response = page.goto(live_server.url + "/foncier/dvf/carte/")
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    # MapLibre draws under the portal's CSP as it is: no blob: worker, no inline code.
    # django-csp does not keep the directives in a fixed order: read them by name.
    csp = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "worker-src" not in directives and "child-src" not in directives
    assert [name for name, sources in directives.items() if "blob:" in sources] == ["img-src"]
    assert "unsafe" not in csp
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")
    wait_drawn(page, "carte-dvf", ["dvf-carreaux"])
    expect(page.locator("#carte-dvf-statut")).to_contain_text("regroupées par carreau")
    screenshots(page, "carte-dvf", "dvf-carreaux")
    # Aix, street zoom: the sales themselves (2023-1…5 and their neighbours share 5.4474, 43.5263).
    zoom_to(page, "carte-dvf", 43.5263, 5.4474, 18)
    wait_drawn(page, "carte-dvf", ["dvf-ventes"])
    expect(page.locator("#carte-dvf-statut")).to_contain_text("dans cette vue. Cliquez sur une vente")
    open_popup(page, "carte-dvf", "dvf-ventes", "€")
    tiles_drawn_cleanly(page, "carte-dvf", "dvf-ventes")


def test_dvf_map_page_has_no_wcag_violation(browser, live_server, ventes):
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url, Role.AGENT_METROPOLITAIN)
    page.goto(live_server.url + "/foncier/dvf/carte/")
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    context.close()


def test_network_map_draws_from_collected_static_files(browser, deployed_portal, territoire, tmp_path):  # noqa: F811
    """As deployed (collectstatic, hashed names, whitenoise): the module finds its worker beside it."""
    call_command("import_gtfs", write_zip(tmp_path / "gtfs.zip"))
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors, received = [], {}
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfinished", lambda r: received.update({r.url: r.sizes()["responseBodySize"]}))
    page.goto(deployed_portal + "/mobilite/reseau/")
    expect(page.locator("#carte-reseau")).to_have_attribute("data-tuiles", "chargees")
    wait_drawn(page, "carte-reseau", ["reseau-arrets"], 3)
    assert [url for url in received if "maplibre-gl-worker" in url]
    total = sum(received.values())
    maplibre = sum(size for url, size in received.items() if "maplibre" in url)
    print(f"network map: {total} bytes received, MapLibre {maplibre}")  # the closing note
    context.close()
    assert errors == []


def test_without_webgl_the_network_map_says_so_and_keeps_its_tables(
    browser, live_server, territoire, tmp_path
):
    """A browser without WebGL 2: no vector layer, the reason in words, the tables still there."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    call_command("import_gtfs", write_zip(tmp_path / "gtfs.zip"))
    without_webgl = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--disable-webgl", "--disable-3d-apis"]
    )
    page = without_webgl.new_page(locale="fr-FR")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + "/mobilite/reseau/")
    expect(page.locator("#carte-reseau")).to_have_attribute("data-tuiles", "erreur")
    expect(page.locator("#carte-reseau-statut")).to_have_text(
        "La carte n'a pas pu être chargée ; les tableaux restent disponibles."
    )
    page.get_by_text("Arrêts les plus desservis", exact=True).click()
    expect(page.get_by_role("cell", name="Rotonde", exact=True)).to_be_visible()
    without_webgl.close()
    assert errors == []
