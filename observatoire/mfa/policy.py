"""Who must use a second factor, and how a session records that it did (issue 14).

The contract between the login paths and the enforcement: every path that authenticates a user
(password form, the admin's form, ProConnect, FranceConnect) ends in a session; a privileged user's
session is usable only once ``mark_verified`` has been called on it — by the TOTP or recovery-code
challenge, or by the OpenID Connect callback when the provider says a second factor was used
(``amr``/``acr``). The enforcement middleware (``observatoire.mfa.middleware``) reads ``is_verified``.
"""

from django.utils import timezone

from observatoire.accounts.enums import Role

# An RSSI will not accept these behind a password alone (issue 14).
PRIVILEGED_ROLES = frozenset(
    {
        Role.AGD,
        Role.DPO,
        Role.RSSI,
        Role.ADMIN_COMMUNAL,
        Role.GESTIONNAIRE_SIGNALEMENTS,
        Role.CHARGE_ETUDES,
        Role.SUPERADMIN,
    }
)
SESSION_KEY = "mfa_verified"


def requires_second_factor(user):
    if not (user and user.is_authenticated):
        return False
    return user.is_superuser or bool(PRIVILEGED_ROLES & set(user.roles))


def mark_verified(request, method):
    """Record on the session that a second factor was checked, and how (``totp``, ``recovery``,
    ``proconnect``…)."""
    request.session[SESSION_KEY] = {"method": method, "at": timezone.now().isoformat()}


def is_verified(request):
    return bool(request.session.get(SESSION_KEY))
