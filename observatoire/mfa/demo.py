"""The demo accounts' second factor: one fixed, public TOTP secret, in development only.

Like the demo password it is printed by ``make run``; outside DEBUG no device is made with it and
a device holding it is refused by the challenge (the demo accounts themselves are refused too).
"""

from base64 import b32decode

from django.conf import settings

from observatoire.accounts.demo import DemoAccount

from .policy import requires_second_factor

# Base32, as authenticator apps and ``oathtool --totp -b`` take it.
DEMO_TOTP_SECRET = "DEMOOBSERVATOIREMETROPOLEAMPTOTP"  # noqa: S105 - public on purpose, DEBUG only
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()


def refused(device):
    return not settings.DEBUG and getattr(device, "key", None) == DEMO_TOTP_KEY


def load_demo_second_factors(accounts):
    """Give every privileged demo account an authenticator with the demo secret; returns those
    accounts. Nothing outside DEBUG."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not settings.DEBUG:
        return []
    enrolled = []
    for account, user in accounts:
        if not (isinstance(account, DemoAccount) and requires_second_factor(user)):
            continue
        TOTPDevice.objects.filter(user=user).exclude(key=DEMO_TOTP_KEY).delete()
        TOTPDevice.objects.update_or_create(
            user=user, key=DEMO_TOTP_KEY, defaults={"name": "Démonstration", "confirmed": True}
        )
        enrolled.append(user)
    return enrolled
