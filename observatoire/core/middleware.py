from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import JsonResponse
from django.shortcuts import render

from .errors import is_api, maintenance

NUL_MESSAGE = "Paramètre invalide : le caractère nul (0x00) n'est accepté dans aucun paramètre."


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Deny by default; API clients get a JSON 401 instead of a redirect."""

    def handle_no_permission(self, request, view_func):
        if is_api(request):
            return JsonResponse({"detail": "Authentification requise."}, status=401)
        return super().handle_no_permission(request, view_func)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Strict CSP everywhere but in Django's admin, whose map widget writes inline scripts."""

    RELAXED_PREFIXES = ("/admin/",)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith(self.RELAXED_PREFIXES):
            parts.update = {"script-src": ["'unsafe-inline'"], "style-src": ["'unsafe-inline'"]}
        return parts


class RejectNulBytesMiddleware:
    """A NUL byte in a query or form parameter, or in the path, is a 400, wherever it is sent.

    PostgreSQL refuses NUL in text, so such a value reaching any query was a 500. No parameter
    of the portal has a use for it: refusing it here spares every view its own check. The view
    may say how its 400 looks (``bad_request`` attribute, e.g. Open311's error list); otherwise
    the API answers in JSON and pages with a French page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # request.POST holds form bodies only (urlencoded, multipart); a JSON body stays unread.
        params = (request.GET, request.POST) if request.method == "POST" else (request.GET,)
        in_params = any("\x00" in key or "\x00" in value for query in params for key, value in _items(query))
        # A path segment (e.g. a report's token, %00 in the URL) reaches the view as an argument.
        in_path = any("\x00" in str(value) for value in (*view_args, *view_kwargs.values()))
        if not (in_params or in_path):
            return None
        custom = getattr(view_func, "bad_request", None)
        if custom is not None:
            return custom(request, NUL_MESSAGE, **view_kwargs)
        if is_api(request):
            return JsonResponse({"detail": NUL_MESSAGE}, status=400)
        return render(request, "core/requete_invalide.html", {"message": NUL_MESSAGE}, status=400)


def _items(query):
    return ((key, value) for key, values in query.lists() for value in values)


class MaintenanceModeMiddleware:
    """MAINTENANCE_MODE on: every page answers 503 with a Retry-After, without touching the
    database or the sessions (which may be what is being worked on). /health/ still answers for
    monitoring; static files are served before this middleware runs."""

    EXEMPT = ("/health/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MAINTENANCE_MODE and not request.path.startswith(self.EXEMPT):
            return maintenance(request)
        return self.get_response(request)
