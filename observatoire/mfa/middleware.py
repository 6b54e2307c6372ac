"""No privileged session is usable before its second factor, whatever way it was opened.

Placed after the authentication middleware, this runs for every view: the portal's login form, the
admin's, ProConnect and FranceConnect all end in a session, and a session whose user must pass a
second factor (``services.next_step``) reaches nothing but the challenge, the enrolment and logout
until ``policy.mark_verified`` was called on it. Pages are redirected there; API, HTMX and JSON
calls get a 403 in JSON naming the next step. API tokens carry no session: they are not concerned
(a token is issued to a person who already passed the second factor to reach the page issuing it).
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from observatoire.core.errors import is_api

from . import services
from .policy import is_verified

# Leaving must stay possible: the portal's logout (whichever view serves it: the OpenID Connect
# one propagates it to the provider) and the admin's.
EXEMPT_URL_NAMES = ("logout", "admin:logout")

MESSAGES = {
    services.CHALLENGE: "Second facteur requis : saisissez le code de votre application d'authentification.",
    services.ENROLMENT: "Second facteur requis : votre rôle impose d'activer une application "
    "d'authentification avant de continuer.",
}


def second_factor_exempt(view):
    """For the views of the second factor's own flow, reachable before it is passed."""
    view.second_factor_exempt = True
    return view


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated) or is_verified(request):
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        if request.path_info in {reverse(name) for name in EXEMPT_URL_NAMES}:
            return None
        step = services.next_step(user)
        if step is None:
            return None
        return _send_to(request, step)


def _wants_json(request):
    accept = request.headers.get("Accept", "")
    return (
        is_api(request)
        or request.headers.get("HX-Request") == "true"
        or ("json" in accept and "html" not in accept)
    )


def _send_to(request, step):
    url = reverse(f"mfa:{step}")
    if request.method in ("GET", "HEAD"):
        url += "?" + urlencode({"next": request.get_full_path()})
    if _wants_json(request):
        response = JsonResponse({"detail": MESSAGES[step], "etape": step, "url": url}, status=403)
        # htmx follows this header: the whole page goes to the challenge instead of a fragment.
        response["HX-Redirect"] = url
        return response
    return redirect(url)
