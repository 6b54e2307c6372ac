import os
import shutil

import django.apps
import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command

from observatoire.accounts.roles import ROLE_CAPABILITIES, sync_role_groups
from observatoire.observatoires.models import Observatoire
from observatoire.observatoires.reference import OBSERVATOIRES, sync_observatoires
from observatoire.territoires.models import Commune

AMP_SIREN = "200054807"


def _reference_rows_present():
    """Two cheap counts instead of re-syncing every group and rubrique for each test (0.4 s each)."""
    roles = [role.value for role in ROLE_CAPABILITIES]
    return Group.objects.filter(name__in=roles).count() == len(roles) and Observatoire.objects.filter(
        slug__in=[entry[0] for entry in OBSERVATOIRES]
    ).count() == len(OBSERVATOIRES)


def load_reference_data(refresh=False):
    """Role groups and the real territory; transactional tests flush them, so reload on demand."""
    if refresh or not _reference_rows_present():
        sync_role_groups(django.apps.apps)
        sync_observatoires(django.apps.apps)
    if refresh or not Commune.objects.filter(epci__siren=AMP_SIREN).exists():
        call_command("import_territoire", epci=AMP_SIREN, verbosity=0)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Always re-import once per run: a reused test database may hold rows from older code
    # (scripts/mutation.py says when its first run just did it, to spare each mutant's run).
    with django_db_blocker.unblock():
        load_reference_data(refresh=not os.environ.get("TESTS_REFERENCE_DATA_FRESH"))


@pytest.fixture(autouse=True)
def _db_access(db):
    """Every test may use the database (les-emplois habit)."""


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _second_factor_passed(request):
    """Sessions opened by the tests (force_login, the login forms, the browser) count as having
    passed the second factor, so the hundreds of tests about what a role may do need no TOTP.
    Tests of the second factor itself ask for ``second_factor_enforced`` and get real sessions."""
    if "second_factor_enforced" in request.fixturenames:
        yield
        return
    from django.contrib.auth.signals import user_logged_in

    from observatoire.mfa.policy import mark_verified

    def passed(sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            mark_verified(request, "tests")

    user_logged_in.connect(passed, dispatch_uid="tests-second-factor-passed")
    yield
    user_logged_in.disconnect(dispatch_uid="tests-second-factor-passed")


@pytest.fixture
def second_factor_enforced():
    """Sessions must pass the real second factor (see ``_second_factor_passed``)."""


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def territoire(db):
    load_reference_data()
    return Commune.objects.filter(epci__siren=AMP_SIREN)


@pytest.fixture
def marseille(territoire):
    return Commune.objects.get(insee="13055")


@pytest.fixture
def aix(territoire):
    return Commune.objects.get(insee="13001")


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
