"""Staff accounts' lifecycle (issue 14): unused accounts are disabled, and a disabled or departed
account loses its API tokens and sessions at once.

« Staff » is every account but citizens': agents, élus, partners, administrators, and accounts not
yet given a role (a first ProConnect login). An account is unused since its latest login or
session activity, or since it was created when it never signed in. It is warned by e-mail
``ACCOUNT_INACTIVITY_WARNING_DAYS`` before, once, then disabled after ``ACCOUNT_INACTIVITY_DAYS``.
The daily task (``accounts.disable_inactive_accounts``) may run twice: a disabled account is no
longer selected and a warning already journaled since the latest activity is not sent again.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from observatoire.connexions import journal, sessions
from observatoire.connexions.enums import EventType
from observatoire.connexions.models import ActiveSession, EvenementConnexion

from .demo import DEMO_DOMAIN
from .enums import Role
from .models import User

# Two runs of the daily task never work at once (PostgreSQL advisory lock, any process).
LOCK_ID = 0x1A_1F_EC_14

REASON_INACTIVITY = "inactivité"
REASON_DEPARTURE = "départ"


def revoke_access(user, *, actor=None, request=None, reason=""):
    """Journal the disabling of ``user`` and cut what still opens the portal to it: its API token
    and every session. Called when ``is_active`` becomes False, whoever set it."""
    from rest_framework.authtoken.models import Token

    journal.record(EventType.ACCOUNT_DISABLED, request=request, user=user, actor=actor, reason=reason)
    tokens, _ = Token.objects.filter(user=user).delete()
    if tokens:
        journal.record(EventType.TOKENS_REVOKED, request=request, user=user, actor=actor, count=tokens)
    ended = sessions.end_all(user)
    if ended:
        journal.record(
            EventType.SESSION_ENDED, request=request, user=user, actor=actor, count=ended, reason=reason
        )


def disable(user, *, reason, actor=None):
    """Disable ``user``; the account receivers journal it and call ``revoke_access``."""
    if not user.is_active:
        return False
    user._connexions_disable_reason = reason
    user._connexions_actor = actor
    user.is_active = False
    user.save(update_fields=["is_active"])
    return True


def depart(users, actor):
    """An agent leaves: the admin's « départ » action."""
    return sum(disable(user, reason=REASON_DEPARTURE, actor=actor) for user in users)


def staff_accounts():
    """Active accounts other than citizens' (demo accounts are reset by ``make run``, left alone)."""
    memberships = User.groups.through.objects
    citizens = memberships.filter(group__name=Role.CITOYEN).values("user_id")
    other_roles = memberships.exclude(group__name=Role.CITOYEN).values("user_id")
    return (
        User.objects.filter(is_active=True)
        .filter(~Q(pk__in=citizens) | Q(pk__in=other_roles))
        .exclude(email__iendswith="@" + DEMO_DOMAIN)
    )


def with_last_activity(users):
    latest_session = (
        ActiveSession.objects.filter(user=OuterRef("pk")).order_by("-last_seen").values("last_seen")[:1]
    )
    return users.annotate(
        last_activity=Greatest(
            Coalesce("last_login", "date_joined"),
            Coalesce(Subquery(latest_session), "date_joined"),
        )
    )


@dataclass
class Report:
    warned: list = field(default_factory=list)
    disabled: list = field(default_factory=list)
    busy: bool = False


def run(now=None):
    """Warn the accounts a week from being disabled, disable those past the delay."""
    now = now or timezone.now()
    days = settings.ACCOUNT_INACTIVITY_DAYS
    disable_before = now - timedelta(days=days)
    warn_before = disable_before + timedelta(days=settings.ACCOUNT_INACTIVITY_WARNING_DAYS)
    report = Report()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_ID])
            if not cursor.fetchone()[0]:
                report.busy = True
                return report
        accounts = with_last_activity(staff_accounts())
        for user in accounts.filter(last_activity__lte=disable_before).order_by("pk"):
            disable(user, reason=REASON_INACTIVITY)
            report.disabled.append(user.email)
        warned_since = EvenementConnexion.objects.filter(
            user=OuterRef("pk"), type=EventType.ACCOUNT_WARNING, at__gte=OuterRef("last_activity")
        )
        to_warn = accounts.filter(last_activity__gt=disable_before, last_activity__lte=warn_before).exclude(
            Exists(warned_since)
        )
        for user in to_warn.order_by("pk"):
            _warn(user, user.last_activity + timedelta(days=days))
            report.warned.append(user.email)
    return report


def _warn(user, disabled_on):
    context = {
        "user": user,
        "disabled_on": timezone.localtime(disabled_on),
        "days": settings.ACCOUNT_INACTIVITY_DAYS,
        "login": settings.SITE_URL + reverse("login"),
        "site_name": settings.SITE_NAME,
    }
    body = render_to_string("connexions/email/inactivity_warning.txt", context)
    subject = f"{settings.SITE_NAME} : votre compte sera désactivé faute d'utilisation"
    journal.record(EventType.ACCOUNT_WARNING, user=user, disabled_on=disabled_on.isoformat())
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))
