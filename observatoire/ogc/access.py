"""Who may read a collection: the catalogue record of its dataset decides, through the row gate (ADR 7).

GIS clients send an API token (``Authorization: Token <clé>``, as QGIS's « en-tête HTTP » and GDAL's
``GDAL_HTTP_HEADERS`` do) or ride on the browser's session. Reading features of a non-public
collection is written to the download log once per request (a page of items, a tileset); tiles,
dozens per screen, are logged once per user, collection and hour.
"""

from django.core.cache import cache
from django.http import JsonResponse
from rest_framework import exceptions

from gouvernance import acces
from gouvernance.enums import Sensibilite
from gouvernance.gate import LOGIN_NEEDED, catalogued, rows_decision
from gouvernance.models import Telechargement
from observatoire.accounts.backends import TokenAuthentication

TILE_AUDIT_SECONDS = 3600


class TokenRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def authenticate(request):
    """Put the token's user on the request when a token is sent (the session's otherwise)."""
    try:
        result = TokenAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed as error:
        raise TokenRefused(str(error.detail)) from error
    if result is not None:
        request.user, request.auth = result
    return request.user


def dataset(collection):
    return catalogued(collection.dataset)


def may_read(user, collection):
    """For listings: nothing is logged."""
    return rows_decision(user, dataset(collection)).allowed


def check(request, collection, format, *, tile=False):
    """(dataset, decision) for this request. A known user's attempt on non-public rows is logged."""
    jeu = dataset(collection)
    decision = rows_decision(request.user, jeu)
    logged = jeu.sensibilite != Sensibilite.PUBLIC and request.user.is_authenticated
    if logged and (not tile or _first_tile_this_hour(request.user, collection, decision.allowed)):
        acces.audit(request, request.user, jeu, decision, Telechargement.Canal.API, format)
    return jeu, decision


def admit(request, collection, format, *, tile=False):
    """(allowed, refusal response or None), the refusal as JSON: for clients that are not browsers."""
    _, decision = check(request, collection, format, tile=tile)
    if decision.allowed:
        return True, None
    return False, json_refusal(request, decision)


def json_refusal(request, decision):
    if not request.user.is_authenticated:
        return error_response(401, LOGIN_NEEDED, headers={"WWW-Authenticate": 'Token realm="ogc"'})
    return error_response(403, decision.reason)


def _first_tile_this_hour(user, collection, allowed):
    key = f"ogc:tile-audit:{user.pk}:{collection.id}:{int(allowed)}"
    return cache.add(key, 1, TILE_AUDIT_SECONDS)


def error_response(status, description, headers=None):
    """The OGC API exception document (JSON): ``code`` and ``description``, in French."""
    codes = {400: "InvalidParameterValue", 401: "NotAuthenticated", 403: "Forbidden", 404: "NotFound"}
    return JsonResponse(
        {"code": codes.get(status, "ServerError"), "description": description},
        status=status,
        headers=headers,
        json_dumps_params={"ensure_ascii": False},
    )
