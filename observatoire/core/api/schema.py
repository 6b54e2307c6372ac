"""The OpenAPI schema declares the error answers every operation may give, in their real shape.

Without them, clients and contract tests (schemathesis) would take a 400 or a 401 for a breach of
the contract. Each error body is what ``exceptions.json_exception_handler`` (and the JSON guards
of ``core.middleware``) write: an object with a French ``detail``, plus ``errors`` for invalid
parameters.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Le motif de l'erreur, en français.")
    errors = serializers.JSONField(
        required=False,
        help_text="Pour des paramètres invalides : les messages, par paramètre ou en liste.",
    )


def error(description):
    return OpenApiResponse(ErrorSerializer, description=description)


# Possible on every operation: a malformed parameter (a NUL byte at least), a method this path
# does not take.
ALWAYS = {
    400: error("Paramètres ou corps de requête invalides."),
    405: error("Méthode non acceptée par cette adresse."),
}
UNAUTHENTICATED = error("Authentification requise, ou jeton invalide.")
FORBIDDEN = error("Droits insuffisants (ou jeton CSRF absent pour une session).")
NOT_FOUND = error("Ressource ou page introuvable.")
TOO_MANY = error("Trop de requêtes : réessayez après le délai indiqué par l'en-tête Retry-After.")


class ErrorDocumentingAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the error responses this operation may give.

    An error an operation already declares (``extend_schema(responses=…)``) is left as written.
    A view that limits some of its handlers itself (not with DRF throttles) names them in
    ``rate_limited`` (action names for a viewset, methods otherwise) to have their 429 declared.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self.error_responses().items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return responses

    def error_responses(self):
        errors = dict(ALWAYS)
        if self.view.get_authenticators():
            # A wrong token is refused even where anonymous visitors are welcome.
            errors[401] = UNAUTHENTICATED
            errors[403] = FORBIDDEN
        elif not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            errors[403] = FORBIDDEN
        if "{" in self.path or self._is_paginated_list():
            errors[404] = NOT_FOUND
        handler = getattr(self.view, "action", None) or self.method.lower()
        if self.view.get_throttles() or handler in getattr(self.view, "rate_limited", ()):
            errors[429] = TOO_MANY
        return errors

    def _is_paginated_list(self):
        return self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
