"""Weight of a chart page as a browser receives it from a deployed portal.

The other browser tests serve static files straight from the finders (no collectstatic, no
compression); here the files are collected as in production (whitenoise's compressed manifest
storage, gzip and brotli copies) and served by whitenoise itself, so the bytes counted are the
bytes a visitor downloads.
"""

import pytest
from django.core.management import call_command
from django.test.testcases import LiveServerThread

from tests.indicateurs.valeurs import indicateurs  # noqa: F401  (the fixture below)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("indicateurs")]

DASHBOARD = "/observatoires/habitat/tableau-de-bord/?indicateur=taux-vacance&territoire=13001"
BUDGET = 1_500_000


@pytest.fixture
def deployed_portal(settings, tmp_path, transactional_db):
    """A live server whose static files come from collectstatic, through whitenoise only."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    # No static handler in front of the application: whitenoise's middleware answers.
    server = LiveServerThread("127.0.0.1", static_handler=lambda application: application)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.terminate()
    server.join()


def transferred_bytes(browser, url):
    """Bytes received (headers and encoded bodies) for the page and everything it loads."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    received, encodings = {}, {}

    def count(request):
        sizes = request.sizes()
        received[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        encodings[request.url] = request.response().headers.get("content-encoding")

    page.on("requestfinished", count)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    rendered = page.locator("#graphique-evolution").get_attribute("data-rendered")
    context.close()
    return received, encodings, rendered


def test_a_dashboard_weighs_less_than_a_megabyte_and_a_half(browser, deployed_portal):
    received, encodings, rendered = transferred_bytes(browser, deployed_portal + DASHBOARD)
    assert rendered == "true"  # the partial plotly bundle draws the charts
    plotly = [url for url in received if "/vendor/plotly/" in url]
    assert [encodings[url] for url in plotly] in (["br"], ["gzip"]), encodings
    total = sum(received.values())
    print(
        f"dashboard: {total} bytes in {len(received)} responses, plotly {encodings[plotly[0]]}"
    )  # the closing note
    assert total < BUDGET, sorted(received.items(), key=lambda item: -item[1])[:5]
