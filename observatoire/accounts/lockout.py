"""The page (and the ``Retry-After`` header) of a login locked by django-axes.

axes gives the template the cool-off as an ISO 8601 duration ("PT15M") and no Retry-After: we
say how long the lock still lasts, in French, counted from the failure that started it.
"""

from datetime import timedelta
from math import ceil

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def lock_remaining(request, credentials=None):
    """Time until the lock on this account and address ends (axes counts failures newer than
    the cool-off, so it ends a cool-off after the latest counted failure)."""
    cool_off = get_cool_off(request)
    handler = AxesProxyHandler.get_implementation()
    latest = [
        attempts.aggregate(latest=Max("attempt_time"))["latest"]
        for attempts in handler.get_user_attempts(request, credentials)
    ]
    latest = max((at for at in latest if at is not None), default=timezone.now())
    return max(latest + cool_off - timezone.now(), timedelta(0))


def french_duration(remaining):
    """« 15 minutes », « 1 heure, 5 minutes »: whole minutes, rounded up, at least one."""
    minutes = max(1, ceil(remaining.total_seconds() / 60))
    now = timezone.now()
    return timeuntil(now + timedelta(minutes=minutes), now)


def lockout_response(request, original_response=None, credentials=None):
    remaining = lock_remaining(request, credentials)
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"duree": french_duration(remaining)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(max(1, ceil(remaining.total_seconds())))
    return response
