"""Notes who acts in each request and keeps the user's active session row fresh."""

from datetime import timedelta

from .context import acting
from .receivers import record_pending_login
from .sessions import touch

# A session's « last seen » is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


class ConnexionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with acting(request, actor):
            if actor is not None:
                touch(request, every=TOUCH_EVERY)
            try:
                return self.get_response(request)
            finally:
                record_pending_login(request)
