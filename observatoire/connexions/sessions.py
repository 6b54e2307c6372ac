"""The active sessions of a user: opened at login, refreshed by the middleware, closed at logout."""

from django.contrib.sessions.models import Session
from django.utils import timezone

from observatoire.core.client import client_ip

from .models import USER_AGENT_LENGTH, ActiveSession

LAST_TOUCH_KEY = "connexions_seen"
# The key the row was saved under: Django rotates the key (password change), the row follows it.
ROW_KEY = "connexions_key"


def _user_agent(request):
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]


def opened(request, user, method=""):
    """Called at login, once the session has its (rotated) key."""
    if not request.session.session_key:
        request.session.save()
    now = timezone.now()
    ActiveSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen": now,
            "ip": client_ip(request),
            "user_agent": _user_agent(request),
            "method": method[:40],
        },
    )
    request.session[LAST_TOUCH_KEY] = now.timestamp()
    request.session[ROW_KEY] = request.session.session_key


def touch(request, every):
    """Refresh last seen, IP and browser at most once per ``every``; follow a rotated key;
    recreate a missing row (a session opened before this table existed)."""
    key = request.session.session_key
    if not key:
        return
    now = timezone.now()
    row_key = request.session.get(ROW_KEY)
    last = request.session.get(LAST_TOUCH_KEY)
    if row_key == key and last is not None and now.timestamp() - last < every.total_seconds():
        return
    fresh = {"last_seen": now, "ip": client_ip(request), "user_agent": _user_agent(request)}
    updated = ActiveSession.objects.filter(session_key=row_key or key, user=request.user).update(
        session_key=key, **fresh
    )
    if not updated:
        ActiveSession.objects.update_or_create(session_key=key, defaults={"user": request.user, **fresh})
    request.session[LAST_TOUCH_KEY] = now.timestamp()
    request.session[ROW_KEY] = key


def live(user):
    """The user's sessions that still open the portal (an expired one stays listed nowhere)."""
    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return ActiveSession.objects.filter(user=user, session_key__in=alive)


def prune_expired():
    """Delete Django's expired sessions and the rows of sessions gone without a logout."""
    Session.objects.filter(expire_date__lte=timezone.now()).delete()
    count, _ = ActiveSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
    return count


def closed(session_key):
    if session_key:
        ActiveSession.objects.filter(session_key=session_key).delete()


def end(active_session):
    """End one session: the Django session is deleted, so its cookie opens nothing any more."""
    Session.objects.filter(session_key=active_session.session_key).delete()
    active_session.delete()


def end_all(user, except_key=None):
    """End every session of ``user`` (but ``except_key``); returns how many were ended."""
    rows = ActiveSession.objects.filter(user=user)
    if except_key:
        rows = rows.exclude(session_key=except_key)
    keys = list(rows.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    return len(keys)
