"""Limits on filing and supporting reports, per client address or per account.

Counted in PostgreSQL, the database a filing writes to anyway: one upsert per request, and a
frozen or dead Redis can neither slow filing down nor turn the limit into a server error.
Windows are fixed: at most ``limit`` requests per client in each window of ``window`` seconds.
The client is stored as a keyed digest, never as an address.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

from observatoire.core.client import client_ip

from .models import LimitCounter


class RateLimited(Exception):
    def __init__(self, message, retry_after, *, anonymous=True):
        minutes = max(1, round(retry_after / 60))
        self.delai = f"{minutes} minute{'s' if minutes > 1 else ''}"
        super().__init__(message.format(delai=self.delai))
        self.retry_after = retry_after
        # Whether signing in would lift it: the account limit is more generous than the address's.
        self.anonymous = anonymous
        self.until = timezone.now() + timedelta(seconds=retry_after)


@dataclass(frozen=True)
class Limit:
    scope: str
    limit_setting: str
    window_setting: str
    message: str  # French, with {delai} for the time left

    anonymous: bool = True

    def _window(self):
        """The limit, the start of the current window and the seconds until it ends."""
        limit, window = getattr(settings, self.limit_setting), getattr(settings, self.window_setting)
        now = timezone.now().timestamp()
        window_start = now - now % window
        return limit, datetime.fromtimestamp(window_start, UTC), max(1, round(window_start + window - now))

    def _refusal(self, retry_after):
        return RateLimited(self.message, retry_after=retry_after, anonymous=self.anonymous)

    def check(self, client):
        """Count one request of ``client``; raise RateLimited past the limit."""
        limit, window_start, retry_after = self._window()
        if _count(self.scope, client_digest(client), window_start) > limit:
            raise self._refusal(retry_after)

    def peek(self, client):
        """The refusal the next request of ``client`` would get (or None), without counting it."""
        limit, window_start, retry_after = self._window()
        count = (
            LimitCounter.objects.filter(
                scope=self.scope, client=client_digest(client), window_start=window_start
            )
            .values_list("count", flat=True)
            .first()
        )
        return self._refusal(retry_after) if (count or 0) >= limit else None


ANONYMOUS_FILING = Limit(
    "depot-anonyme",
    "SIGNALEMENT_ANONYMOUS_LIMIT",
    "SIGNALEMENT_ANONYMOUS_WINDOW",
    "Trop de signalements envoyés depuis votre connexion : réessayez dans {delai}, ou créez un compte.",
)
ACCOUNT_FILING = Limit(
    "depot-compte",
    "SIGNALEMENT_ACCOUNT_LIMIT",
    "SIGNALEMENT_ACCOUNT_WINDOW",
    "Trop de signalements envoyés depuis votre compte : réessayez dans {delai}.",
    anonymous=False,
)
ANONYMOUS_SUPPORT = Limit(
    "soutien-anonyme",
    "SIGNALEMENT_SUPPORT_LIMIT",
    "SIGNALEMENT_SUPPORT_WINDOW",
    "Trop de soutiens envoyés depuis votre connexion : réessayez dans {delai}.",
)


def client_digest(value):
    return salted_hmac("signalements.clients", value, algorithm="sha256").hexdigest()


def _count(scope, client, window_start):
    table = connection.ops.quote_name(LimitCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (scope, client, window_start, count) VALUES (%s, %s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (scope, client, window_start) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [scope, client, window_start],
        )
        return cursor.fetchone()[0]


def _address(request):
    return client_ip(request) or "inconnue"


def filing_client(request):
    """Who files: the account when signed in, the client address otherwise."""
    if request.user.is_authenticated:
        return f"compte:{request.user.pk}"
    return f"ip:{_address(request)}"


def _filing_limit(request):
    """Per account when signed in (generous), per client address otherwise."""
    limit = ACCOUNT_FILING if request.user.is_authenticated else ANONYMOUS_FILING
    return limit, filing_client(request)


def check_filing(request):
    """Count one filing; raise RateLimited past the limit."""
    limit, client = _filing_limit(request)
    limit.check(client)


def peek_filing(request):
    """The refusal this client's next filing would get, or None; counts nothing (a page view)."""
    limit, client = _filing_limit(request)
    return limit.peek(client)


def check_support(request):
    """Count one anonymous « Je soutiens »; a signed-in user's support counts once anyway."""
    if not request.user.is_authenticated:
        ANONYMOUS_SUPPORT.check(f"ip:{_address(request)}")


def purge_expired(now=None):
    """Drop the counters of windows over (they hold pseudonymous client digests)."""
    now = now or timezone.now()
    longest = max(
        getattr(settings, limit.window_setting)
        for limit in (ANONYMOUS_FILING, ACCOUNT_FILING, ANONYMOUS_SUPPORT)
    )
    return LimitCounter.objects.filter(window_start__lt=now - timedelta(seconds=longest)).delete()[0]
