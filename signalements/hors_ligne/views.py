"""The filing page as an installable web app that works without network.

The page registers a service worker (built from ``service-worker.js`` into ``var/build``) that keeps
its shell; a report written offline waits in the device's IndexedDB and is sent, once the network is
back, to ``EnvoiView``: the form's own view answering in JSON, with the report's idempotency key so
that a second replay files nothing new.
"""

import hashlib
import json
import re

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..views import SignalerView

SW_BUNDLE = settings.BASE_DIR / "var" / "build" / "signaler-sw.js"
THEME_COLOR = "#1d3c78"  # --blue of static/css/portal.css

# The templates of the filing page: every file they name with {% static %} is precached, so that a
# script another part adds to the page works offline without being listed here.
PAGE_TEMPLATES = ["base.html", "includes/marque.html", "signalements/signaler.html"]
STATIC_TAG = re.compile(r"""{%\s*static\s+['"]([^'"]+)['"]\s*%}""")
# What those templates do not name: the images Leaflet's stylesheet loads, the app's icon.
PRECACHED_EXTRA = [
    "img/signaler/icone.svg",
    "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png",
    "vendor/leaflet/images/marker-shadow.png",
    "vendor/leaflet/images/layers.png",
    "vendor/leaflet/images/layers-2x.png",
]


def precached_static():
    named = [
        path for name in PAGE_TEMPLATES for path in STATIC_TAG.findall(get_template(name).template.source)
    ]
    return list(dict.fromkeys(named + PRECACHED_EXTRA))


def _revision(path):
    """The file's content digest: the worker fetches it again only when it changed."""
    found = finders.find(path)
    if found is None:
        raise FileNotFoundError(f"Fichier statique introuvable pour le mode hors ligne : {path}")
    with open(found, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


def worker_config():
    return {
        "precache": [{"url": static(path), "revision": _revision(path)} for path in precached_static()],
        "page": reverse("signalements:signaler"),
        "categories": reverse("signalements-api:categories"),
        "backgrounds": [reverse("territoires-api:communes-geojson"), reverse("territoires-api:fond-geojson")],
        "static": settings.STATIC_URL,
    }


@require_safe
@login_not_required
def service_worker(request):
    """The Workbox bundle behind its configuration. It lives under /signalements/hors-ligne/ and
    controls the filing page one level up, which ``Service-Worker-Allowed`` permits."""
    try:
        bundle = SW_BUNDLE.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise FileNotFoundError(f"{SW_BUNDLE} manque : lancez « make assets » (npm run build:sw).") from error
    body = f"self.__SIGNALER_HORS_LIGNE = {json.dumps(worker_config())};\n{bundle}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Browsers check a worker for updates on navigation; never a stale copy from an HTTP cache.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = reverse("signalements:signaler")
    return response


@require_safe
@login_not_required
def manifest(request):
    page = reverse("signalements:signaler")
    icons = [
        {"src": static("img/signaler/icone.svg"), "sizes": "any", "type": "image/svg+xml"},
        {"src": static("img/signaler/icone-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("img/signaler/icone-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("img/signaler/icone-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "id": page,
        "name": f"Signaler un problème · {settings.METROPOLE_NAME}",
        "short_name": "Signaler",
        "description": (
            "Signaler un problème dans l'espace public, même sans réseau : le signalement part "
            "dès que la connexion revient."
        ),
        "lang": "fr",
        "dir": "ltr",
        "start_url": page,
        "scope": page,
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOR,
        "background_color": "#ffffff",
        "categories": ["government", "utilities"],
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@never_cache
@require_safe
@login_not_required
def session(request):
    """Who the browser is now and a CSRF token valid for this session, asked just before a replay:
    the token in a page cached days ago may belong to a session since ended or rotated by a login."""
    user = request.user
    return JsonResponse(
        {
            "csrf_token": get_token(request),
            "compte": user.pk if user.is_authenticated else None,
            "email": user.email if user.is_authenticated else "",
        }
    )


@method_decorator(never_cache, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class EnvoiView(SignalerView):
    """The filing form's own checks and filing path, answering the page's script in JSON."""

    http_method_names = ["post"]

    def form_invalid(self, form):
        errors = form.errors.get_json_data()
        labelled = [
            (f"{form.fields[field].label} : " if field in form.fields else "") + error["message"]
            for field, field_errors in errors.items()
            for error in field_errors
        ]
        return JsonResponse({"errors": errors, "message": " ".join(labelled)}, status=400)

    def render_to_response(self, context, **response_kwargs):
        # Only the filing limit renders the page from a POST; the report stays on the device.
        refusal = context["limit_refusal"]
        response = JsonResponse({"message": str(refusal)}, status=429)
        response["Retry-After"] = str(refusal.retry_after)
        return response

    def filed(self, report):
        return JsonResponse(
            {"reference": report.reference, "tracking_url": report.get_tracking_url()}, status=201
        )
