"""Report photos render on the reporter's tracking page and in the back office (issue 10, item 2)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from signalements import services
from signalements.photos import clean_photo
from tests.browser.signalements_data import log_in, open_proprete_in_marseille
from tests.browser.test_accessibility import violations
from tests.factories import UserFactory
from tests.signalements.conftest import VIEUX_PORT, image_file

pytestmark = pytest.mark.browser


@pytest.fixture
def report_with_photo(live_server, territoire):
    proprete = open_proprete_in_marseille(territoire)
    report = services.file_signalement(
        user=AnonymousUser(),
        categorie=proprete,
        description="Cartons devant l'école.",
        photos=[clean_photo(image_file())],
        **VIEUX_PORT,
    )
    return live_server.url, report


@pytest.fixture
def page(browser):
    # bypass_csp: the axe audit script is injected by the test.
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def no_violation_at_both_widths(page):
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert violations(page) == [], width


def rendered_widths(page):
    images = page.locator("ul.photos img")
    expect(images).to_have_count(1)
    images.first.scroll_into_view_if_needed()
    page.wait_for_function("[...document.querySelectorAll('ul.photos img')].every(i => i.complete)")
    return images.evaluate_all("images => images.map(i => i.naturalWidth)")


def test_photo_renders_on_tracking_page_and_back_office(page, report_with_photo):
    base, report = report_with_photo
    # Django's live test server serves MEDIA_ROOT; the portal does not (nor should a web server).
    page.route("**/media/**", lambda route: route.fulfill(status=404))
    page.goto(base + report.get_tracking_url())
    assert rendered_widths(page)[0] > 0
    no_violation_at_both_widths(page)

    gestionnaire = UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS)
    log_in(page, base, gestionnaire.email)
    page.goto(f"{base}/signalements/gestion/{report.pk}/")
    assert rendered_widths(page)[0] > 0
    no_violation_at_both_widths(page)

    # The same photo is not public while the report is not published.
    page.context.clear_cookies()
    response = page.request.get(base + f"/signalements/photos/{report.photos.get().pk}/")
    assert response.status == 404
