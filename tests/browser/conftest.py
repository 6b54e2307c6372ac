import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium as root in a container, without reaching out to the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop running; Django's ORM calls made by the
    # test itself (fixtures, assertions) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def demo_portal(live_server, territoire):
    """The live portal with the demo accounts, governance and a published open dataset; its URL."""
    from gouvernance.demo import load_demo_gouvernance
    from gouvernance.models import JeuDeDonnees
    from observatoire.accounts.demo import load_demo_accounts
    from observatoire.opendata.services import publish
    from observatoire.opendata.sources import sync_catalogue

    load_demo_accounts()
    load_demo_gouvernance()
    sync_catalogue()
    publish(JeuDeDonnees.objects.get(slug="communes-metropole"))
    return live_server.url
