"""Notes the request being served (whose user acts) and keeps the user's active session row fresh."""

from datetime import timedelta

from django.utils.functional import empty

from .context import acting
from .receivers import record_pending_login
from .sessions import touch

# A session's « last seen » is written at most this often, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


def _user_if_loaded(request):
    # The session and the user are read only if the view needed them: a public page costs nothing.
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user if user.is_authenticated else None


class ConnexionsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting(request):
            try:
                response = self.get_response(request)
            finally:
                record_pending_login(request)
            if _user_if_loaded(request) is not None:
                touch(request, every=TOUCH_EVERY)
            return response
