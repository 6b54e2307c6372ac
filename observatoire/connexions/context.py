"""Who is acting in the current request, for events about someone else (an admin changing a role).

Role and scope changes arrive as ``m2m_changed`` signals that know the account changed but not who
changed it; the middleware notes the signed-in user here for the length of the request. Outside a
request (a task, a command) there is no actor and the journal says so.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_actor = ContextVar("connexions_actor", default=None)
_request = ContextVar("connexions_request", default=None)


def current_actor():
    return _actor.get()


def current_request():
    return _request.get()


@contextmanager
def acting(request=None, actor=None):
    tokens = (_request.set(request), _actor.set(actor))
    try:
        yield
    finally:
        _request.reset(tokens[0])
        _actor.reset(tokens[1])
