"""In Chromium: a privileged agent's first login enrols an authenticator, the next one is challenged."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from tests.browser.test_accessibility import violations
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("second_factor_enforced")]


def app_code(secret, offset=0):
    """What an authenticator app shows for the secret typed by hand (``offset`` steps later)."""
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, t0=-offset * 30):06d}"


def log_in(page, base, email):
    page.goto(base + "/comptes/login/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_enrolment_then_challenge(browser, live_server, territoire):
    user = UserFactory(role=Role.AGD, is_staff=True)
    # bypass_csp only for the accessibility audit's injected script; the pages' own CSP is tested elsewhere.
    context = browser.new_context(locale="fr-FR", accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, live_server.url, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer le second facteur")
    expect(page.get_by_role("img", name="QR code à scanner")).to_be_visible()
    assert page.locator(".mfa-qr svg").bounding_box()["width"] >= 100
    secret = page.locator(".mfa-secret").inner_text()
    assert violations(page) == []
    page.get_by_label("Code affiché par l'application").fill(app_code(secret))
    page.get_by_role("button", name="Activer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    assert violations(page) == []
    codes = page.locator(".mfa-codes code").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger les codes (fichier texte)").click()
    assert download.value.suggested_filename == "codes-de-secours.txt"
    with open(download.value.path(), encoding="utf-8") as text:
        saved = text.read()
    assert all(code in saved for code in codes)
    page.get_by_role("button", name="J'ai conservé mes codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_text("obligatoire pour votre rôle")).to_be_visible()
    assert violations(page) == []

    page.get_by_role("button", name="Déconnexion").click()
    log_in(page, live_server.url, user.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification en deux étapes")
    assert violations(page) == []
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérification en deux étapes")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.locator("#id_code_error")).to_have_text("Code incorrect ou expiré.")
    time.sleep(1.1)  # django-otp's throttling: 1 s after a first failure
    # The enrolment used this period's code: the app's next one.
    page.get_by_label("Code").fill(app_code(secret, offset=1))
    page.get_by_role("button", name="Vérifier").click()
    expect(page).to_have_url(live_server.url + "/admin/")
    context.close()
    assert errors == []
