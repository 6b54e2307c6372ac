"""Enrolment, the challenge's throttling, recovery codes, the profile section, the demo secret."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from observatoire.accounts.demo import load_demo_accounts
from observatoire.accounts.enums import Role
from observatoire.connexions.models import EvenementConnexion
from observatoire.mfa import services
from observatoire.mfa.demo import DEMO_TOTP_KEY, load_demo_second_factors
from observatoire.mfa.policy import is_verified
from tests.factories import PASSWORD, UserFactory

from .helpers import code_of, enrolled, password_login

pytestmark = pytest.mark.usefixtures("second_factor_enforced")

CHALLENGE = reverse("mfa:verification")
ENROLMENT = reverse("mfa:enrolement")


def events(user):
    rows = EvenementConnexion.objects.filter(user=user).order_by("at", "pk")
    return list(rows.values_list("type", flat=True))


def failed_ago(device, **delta):
    """The last failure happened that long ago (instead of waiting for the throttling delay)."""
    when = timezone.now() - timedelta(**delta)
    type(device).objects.filter(pk=device.pk).update(throttling_failure_timestamp=when)


def test_enrolment_of_a_privileged_role_at_first_login(client, territoire):
    user = UserFactory(role=Role.AGD)
    password_login(client, user.email, PASSWORD)
    page = client.get(ENROLMENT + "?next=/gouvernance/")
    html = page.content.decode()
    assert page.status_code == 200
    # The QR code is inline: no image file, no third-party service.
    assert '<div class="mfa-qr" role="img" aria-label="QR code à scanner"><svg' in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = services.secret_of(device)
    assert secret in html and len(secret.replace(" ", "")) == 32
    assert "otpauth://totp/Observatoire%20m%C3%A9tropolitain%3A" in device.config_url
    # Reloading keeps the same secret: a code scanned already stays good.
    client.get(ENROLMENT)
    assert TOTPDevice.objects.filter(user=user).count() == 1

    wrong = client.post(ENROLMENT, {"code": "000000", "next": "/gouvernance/"})
    assert wrong.status_code == 400 and "Code incorrect" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(ENROLMENT, {"code": code_of(device), "next": "/gouvernance/"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("mfa:codes"))
    assert is_verified(client)

    codes_page = client.get(response["Location"])
    codes = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert len(codes) == 10
    for code in codes:
        assert services.format_recovery(code) in codes_page.content.decode()
    text = client.get(reverse("mfa:codes-texte"))
    assert text["Content-Disposition"] == 'attachment; filename="codes-de-secours.txt"'
    assert all(services.format_recovery(code) in text.content.decode() for code in codes)
    done = client.post(reverse("mfa:codes"), {"next": "/gouvernance/"})
    assert done["Location"] == "/gouvernance/"
    # Shown once.
    assert client.get(reverse("mfa:codes"))["Location"] == reverse("profile")
    assert client.get(reverse("mfa:codes-texte"))["Location"] == reverse("mfa:codes")
    assert client.get("/gouvernance/").status_code == 200
    assert events(user)[-2:] == ["mfa_failure", "mfa_enrolled"]


def test_wrong_codes_are_refused_then_throttled(client, territoire):
    user = UserFactory(role=Role.RSSI)
    device = enrolled(user)
    password_login(client, user.email, PASSWORD)
    wrong = client.post(CHALLENGE, {"code": "123456"})
    assert wrong.status_code == 400 and "Code incorrect ou expiré." in wrong.content.decode()
    # Right away, even the right code waits for the delay (1, 2, 4, 8… s after each failure).
    throttled = client.post(CHALLENGE, {"code": code_of(device)})
    assert "Trop d&#x27;essais erronés : patientez 1 seconde(s)" in throttled.content.decode()
    assert not is_verified(client)
    for _ in range(3):
        failed_ago(device, minutes=5)
        client.post(CHALLENGE, {"code": "654321"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 4
    failed_ago(device, seconds=7)  # the 4th failure asks for 8 s
    assert "patientez" in client.post(CHALLENGE, {"code": code_of(device)}).content.decode()
    failed_ago(device, seconds=9)
    assert client.post(CHALLENGE, {"code": code_of(device)}).status_code == 302
    assert is_verified(client)
    failures = EvenementConnexion.objects.filter(user=user, type="mfa_failure")
    assert failures.count() == 6 and failures.filter(details__throttled=True).count() == 2


def test_a_used_totp_code_is_not_accepted_twice(client, territoire):
    user = UserFactory(role=Role.RSSI)
    device = enrolled(user)
    code = code_of(device)
    password_login(client, user.email, PASSWORD)
    assert client.post(CHALLENGE, {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_login(client, user.email, PASSWORD)
    assert client.post(CHALLENGE, {"code": code}).status_code == 400


def test_a_recovery_code_works_once(client, territoire):
    user = UserFactory(role=Role.ADMIN_COMMUNAL)
    enrolled(user)
    codes = services._new_recovery_codes(user)
    password_login(client, user.email, PASSWORD)
    # As printed (« abcd-efgh »), in capitals.
    response = client.post(CHALLENGE, {"code": services.format_recovery(codes[0]).upper()})
    assert response.status_code == 302 and is_verified(client)
    assert client.session["mfa_verified"]["method"] == "recovery"
    assert services.recovery_codes_left(user) == 9
    client.post(reverse("logout"))
    password_login(client, user.email, PASSWORD)
    assert client.post(CHALLENGE, {"code": codes[0]}).status_code == 400
    assert not is_verified(client)
    assert "mfa_recovery_used" in events(user)


def test_profile_section_regenerates_codes_and_a_privileged_role_cannot_disable(client, territoire):
    user = UserFactory(role=Role.CHARGE_ETUDES)
    device = enrolled(user)
    old = services._new_recovery_codes(user)
    password_login(client, user.email, PASSWORD)
    client.post(CHALLENGE, {"code": code_of(device)})
    profile = client.get(reverse("profile")).content.decode()
    assert "obligatoire pour votre rôle" in profile and "Il vous reste 10 codes de secours" in profile
    assert "Désactiver le second facteur" not in profile
    response = client.post(reverse("mfa:regenerer"))
    assert response["Location"] == reverse("mfa:codes")
    new = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    assert client.get(reverse("mfa:desactiver"))["Location"] == reverse("profile")
    client.post(reverse("mfa:desactiver"), {"code": sorted(new)[0]})
    assert TOTPDevice.objects.filter(user=user).exists()
    assert "mfa_recovery_regenerated" in events(user)


def test_a_non_privileged_user_enables_then_disables_it(client, territoire):
    user = UserFactory(role=Role.PARTENAIRE)
    client.force_login(user)
    assert "Non activé" in client.get(reverse("profile")).content.decode()
    client.get(ENROLMENT)
    device = TOTPDevice.objects.get(user=user)
    assert client.post(ENROLMENT, {"code": code_of(device)}).status_code == 302
    client.post(reverse("mfa:codes"))
    assert "Désactiver le second facteur" in client.get(reverse("profile")).content.decode()
    assert client.post(reverse("mfa:desactiver"), {"code": "000000"}).status_code == 400
    failed_ago(device, minutes=5)
    response = client.post(reverse("mfa:desactiver"), {"code": code_of(device, offset=1)})
    assert response["Location"] == reverse("profile")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert events(user)[-1] == "mfa_removed"
    client.post(reverse("logout"))
    password_login(client, user.email, PASSWORD)
    assert client.get(reverse("profile")).status_code == 200


@pytest.mark.parametrize("debug", [False, True], ids=["prod", "dev"])
def test_the_demo_secret_exists_in_debug_only(territoire, settings, debug):
    settings.DEBUG = True
    accounts = load_demo_accounts()
    settings.DEBUG = debug
    enrolled_users = load_demo_second_factors(accounts)
    assert bool(enrolled_users) is debug
    assert TOTPDevice.objects.filter(key=DEMO_TOTP_KEY).exists() is debug


def test_a_device_with_the_demo_secret_is_refused_outside_debug(client, territoire, settings):
    user = UserFactory(role=Role.DPO)
    device = enrolled(user, key=DEMO_TOTP_KEY)
    password_login(client, user.email, PASSWORD)
    settings.DEBUG = False
    assert client.post(CHALLENGE, {"code": code_of(device)}).status_code == 400
    settings.DEBUG = True
    assert client.post(CHALLENGE, {"code": code_of(device, offset=1)}).status_code == 302
