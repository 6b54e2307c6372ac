"""Per-IP limit on anonymous filing, counted in Redis (atomic INCR with an expiry)."""

from django.conf import settings
from django.core.cache import cache


class RateLimited(Exception):
    def __init__(self, retry_after):
        minutes = max(1, round(retry_after / 60))
        super().__init__(
            f"Trop de signalements envoyés depuis votre connexion : réessayez dans {minutes} minute"
            f"{'s' if minutes > 1 else ''}, ou créez un compte."
        )
        self.retry_after = retry_after


def check_anonymous_filing(request):
    """Count one filing; raise RateLimited past the limit. Signed-in users are not limited here."""
    if request.user.is_authenticated:
        return
    limit, window = settings.SIGNALEMENT_ANONYMOUS_LIMIT, settings.SIGNALEMENT_ANONYMOUS_WINDOW
    key = f"signalements:depot:{request.META.get('REMOTE_ADDR', 'inconnu')}"
    cache.add(key, 0, timeout=window)
    if cache.incr(key) > limit:
        raise RateLimited(retry_after=cache.ttl(key) if hasattr(cache, "ttl") else window)
