"""A commune's site embeds the portal's map: shown for an allowed origin, refused otherwise.

The commune's site is a small HTTP server of the test on another port, hence another origin
(a page fulfilled by Playwright has no address, and Chromium's local network checks would
then refuse any frame of the live server, allowed or not).
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.indicateurs.valeurs import indicateurs  # noqa: F401  (the fixture below)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("indicateurs")]

MAP = "/observatoires/habitat/tableau-de-bord/integrer/?indicateur=taux-vacance&territoire=13001"


@pytest.fixture
def commune_site():
    """(origin, a function setting the HTML it serves)."""
    served = {"body": b""}

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(served["body"])

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", lambda html: served.update(body=html.encode())
    server.shutdown()
    server.server_close()


def open_commune_site(page, live_server, commune_site):
    page.goto(
        live_server.url + "/observatoires/habitat/tableau-de-bord/?indicateur=taux-vacance&territoire=13001"
    )
    page.get_by_text("Intégrer", exact=True).click()
    snippet = page.get_by_label("Code à coller dans une page de votre site")
    expect(snippet).to_be_visible()
    origin, serve = commune_site
    serve(f"<!doctype html><html lang=fr><title>Ville</title><h1>Notre commune</h1>{snippet.input_value()}")
    page.goto(origin + "/")
    return page.frame_locator("iframe")


def test_an_allowed_site_shows_the_embedded_map(page, live_server, settings, commune_site):
    settings.EMBED_ALLOWED_ORIGINS = [commune_site[0]]
    frame = open_commune_site(page, live_server, commune_site)
    expect(frame.locator("#carte-indicateur path.leaflet-interactive").first).to_be_visible()
    expect(frame.locator("#carte-indicateur-statut")).to_contain_text("millésime 2023")
    back = frame.locator(".integre-pied a")
    assert back.get_attribute("href").startswith(live_server.url + "/observatoires/habitat/tableau-de-bord/?")


def test_a_site_not_listed_gets_a_blocked_frame(page, live_server, settings, commune_site):
    settings.EMBED_ALLOWED_ORIGINS = ["https://www.autre-commune.fr"]
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "frame-ancestors" in message.text else None
    )
    frame = open_commune_site(page, live_server, commune_site)
    page.wait_for_timeout(1500)
    expect(frame.locator("#carte-indicateur")).to_have_count(0)
    assert blocked, "Chromium should report the frame-ancestors refusal"


@pytest.mark.parametrize("width", [1280, 320])
def test_embeds_and_their_buttons_pass_axe(browser, live_server, width):
    context = browser.new_context(locale="fr-FR", bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    for url in (
        "/territoires/13001/integrer/",
        MAP,
        "/territoires/13001/",
        "/observatoires/habitat/tableau-de-bord/",
    ):
        page.goto(live_server.url + url)
        for summary in page.locator("details.integrer summary").all():
            summary.click()
        assert violations(page) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    context.close()
