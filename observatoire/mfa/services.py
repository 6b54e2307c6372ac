"""The second factor's operations: enrolment, the challenge, recovery codes, removal.

Devices are django-otp's: one TOTP device (an authenticator app) and one static device holding the
recovery codes, each used once. Throttling is django-otp's own, per device and across sessions
(1, 2, 4, 8… seconds after each failure), so a stolen password does not let anyone try every code.
Every outcome goes to the RSSI's journal.
"""

import re
from base64 import b32encode
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Exists, OuterRef
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from observatoire.accounts.models import User
from observatoire.connexions import journal
from observatoire.connexions.enums import EventType

from . import demo
from .policy import PRIVILEGED_ROLES, mark_verified

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"
CHALLENGE, ENROLMENT = "verification", "enrolement"


def next_step(user):
    """What an authenticated user whose session has no second factor yet must do: ``CHALLENGE``
    (they have an authenticator app), ``ENROLMENT`` (their role requires one and they have none) or
    None. One query: it runs on every request of such a session."""
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            privileged=Exists(Group.objects.filter(user=OuterRef("pk"), name__in=PRIVILEGED_ROLES)),
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .values("privileged", "enrolled")
        .first()
    )
    if row is None:
        return None
    if row["enrolled"]:
        return CHALLENGE
    if user.is_superuser or row["privileged"]:
        return ENROLMENT
    return None


def authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- Enrolment -------------------------------------------------------------------------------


def pending_authenticator(user):
    """The device being enrolled: the same across reloads of the page, so the QR code a user
    already scanned stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_of(device):
    """The base32 secret an authenticator app asks for when typed by hand, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device):
    """The otpauth:// URI as an inline SVG (no image file, no third-party service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def confirm_enrolment(request, device, code):
    """The first code from the app proves it holds the secret: the device replaces any other one,
    new recovery codes are made (returned, to be shown once) and the session is verified."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(_digits(code)):
            ok = False
        else:
            ok = True
            replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0]
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
    if not ok:
        journal.record(EventType.MFA_FAILURE, request=request, user=user, method="totp", step="enrolment")
        return None
    mark_verified(request, "totp")
    journal.record(EventType.MFA_ENROLLED, request=request, user=user, method="totp", replaced=bool(replaced))
    return codes


def _new_recovery_codes(user):
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": RECOVERY_NAME})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def regenerate_recovery_codes(request):
    codes = _new_recovery_codes(request.user)
    journal.record(EventType.MFA_RECOVERY_REGENERATED, request=request, user=request.user, count=len(codes))
    return codes


def remove_second_factor(request, actor=None):
    """Optional second factor turned off (never for a role that requires it: see the views)."""
    user = request.user
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    StaticDevice.objects.filter(user=user).delete()
    request.session.pop("mfa_verified", None)
    journal.record(EventType.MFA_REMOVED, request=request, user=user, actor=actor, devices=removed)


# --- Challenge --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    method: str = ""  # "totp" or "recovery" when the code was right
    locked_until: object = None  # too many failures: no code is tried before this moment
    recovery_left: int | None = None

    @property
    def ok(self):
        return bool(self.method)


def check_code(request, code):
    """A six-digit code is tried against the authenticator app, anything else against the
    recovery codes (each accepted once). The session is verified on success."""
    user = request.user
    digits = _digits(code)
    totp = len(digits) == 6
    model = TOTPDevice if totp else StaticDevice
    method = "totp" if totp else "recovery"
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            ok, locked_until = False, None
        else:
            allowed, why = device.verify_is_allowed()
            locked_until = None if allowed else (why or {}).get("locked_until")
            token = digits if totp else _recovery(code)
            ok = allowed and not demo.refused(device) and device.verify_token(token)
    if not ok:
        journal.record(
            EventType.MFA_FAILURE,
            request=request,
            user=user,
            method=method,
            throttled=locked_until is not None,
        )
        return Outcome(locked_until=locked_until)
    mark_verified(request, method)
    if totp:
        journal.record(EventType.MFA_SUCCESS, request=request, user=user, method=method)
        return Outcome(method=method)
    left = recovery_codes_left(user)
    journal.record(EventType.MFA_RECOVERY_USED, request=request, user=user, method=method, left=left)
    return Outcome(method=method, recovery_left=left)


def _digits(code):
    return re.sub(r"\s", "", code or "")


def _recovery(code):
    # Printed in groups (« abcd-efgh ») and often retyped in capitals.
    return re.sub(r"[\s-]", "", code or "").lower()


def recovery_text(user, codes):
    lines = [
        f"{settings.SITE_NAME} — codes de secours de {user.email}",
        "Chaque code ne sert qu'une fois, à la place du code de l'application d'authentification.",
        "",
        *(format_recovery(code) for code in codes),
        "",
    ]
    return "\n".join(lines)


def format_recovery(code):
    return f"{code[:4]}-{code[4:]}"
