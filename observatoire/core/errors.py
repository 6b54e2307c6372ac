"""The portal's error answers: French pages in its layout, JSON for API clients.

Django's default views render ``403.html``/``404.html`` with the request's context and
``500.html`` with none; these handlers add the JSON answer of the API paths, and give the
pages that must render without a working database (500, maintenance) only settings.
"""

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"

MESSAGES = {
    400: "Requête invalide.",
    403: "Vous n'avez pas la permission d'effectuer cette action.",
    404: "Ressource introuvable.",
    500: "Erreur interne du serveur : l'équipe du portail a été prévenue.",
    503: "Le portail est en maintenance : réessayez dans quelques minutes.",
}
# Seconds a client is told to wait during maintenance (Retry-After).
MAINTENANCE_RETRY_AFTER = 600


def is_api(request):
    return request.path.startswith(API_PREFIX)


def _json(status, detail=None):
    return JsonResponse({"detail": detail or MESSAGES[status]}, status=status)


def static_context():
    """What the layout of the pages rendered without a request needs: settings only, no database."""
    return {"SITE_NAME": settings.SITE_NAME, "METROPOLE_NAME": settings.METROPOLE_NAME}


def bad_request(request, exception):
    return _json(400) if is_api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return _json(403) if is_api(request) else defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return _json(404) if is_api(request) else defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    # No context processor: the failure may be the database or the session store itself.
    if is_api(request):
        return _json(500)
    return HttpResponseServerError(render_to_string("500.html", static_context()))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent from an expired page or without cookies, explained in French."""
    if is_api(request):
        return _json(403, "Vérification CSRF échouée : renvoyez la requête avec le jeton CSRF.")
    return render(request, "403_csrf.html", status=403)


def maintenance(request):
    """The answer of every page while MAINTENANCE_MODE is on (see MaintenanceModeMiddleware)."""
    if is_api(request):
        response = _json(503)
    else:
        response = HttpResponse(render_to_string("503.html", static_context()), status=503)
    response["Retry-After"] = str(MAINTENANCE_RETRY_AFTER)
    return response
