from csp.middleware import CSPMiddleware
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import JsonResponse


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Deny by default; API clients get a JSON 401 instead of a redirect."""

    def handle_no_permission(self, request, view_func):
        if request.path.startswith("/api/"):
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
