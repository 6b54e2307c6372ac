"""Who is acting in the current request, for events about someone else (an admin changing a role).

Role and scope changes arrive as ``m2m_changed`` signals that know the account changed but not who
changed it; the middleware notes the request being served here, and its signed-in user is the
actor. Outside a request (a task, a command) there is no actor and the journal says so.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_request = ContextVar("connexions_request", default=None)


def current_request():
    return _request.get()


def current_actor():
    user = getattr(current_request(), "user", None)
    return user if user is not None and user.is_authenticated else None


@contextmanager
def acting(request):
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)
