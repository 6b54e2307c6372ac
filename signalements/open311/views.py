"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over our signalements.

Services are the active top-level categories (``service_code`` = ``Categorie.code``); a
``jurisdiction_id`` is a commune's INSEE code. Every endpoint answers in JSON or XML after the
suffix of its URL, and every error is the spec's list of ``{code, description}``.

Status mapping (the spec only knows ``open`` and ``closed``):

- ``open``: nouveau, en_analyse, transmis, pris_en_charge, planifie, reouvert;
- ``closed``: resolu, clos, rejete, doublon.

``status_notes`` carries what the two values lose: the note of the latest public history entry
of the current status, or else the French label of that status; for a rejected report, the
rejection reason's label first; for a duplicate, "Doublon du signalement <id>" first.

Privacy: a request shows no reporter data (account, e-mail, IP, tracking token), its
description and its first photo only once published (``Signalement.is_published``); spam is left out.
"""

import math
from datetime import datetime, time, timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db.models.functions import Transform
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from observatoire.core.client import client_ip
from observatoire.core.params import BIGINT_MAX, DATETIME_HELP, aware_datetime, bounded_int
from observatoire.territoires import geocoding
from observatoire.territoires.models import Commune

from .. import idempotency, services
from ..actifs.open311 import actif_from, categories_with_assets
from ..actifs.open311 import attributes as actif_attributes
from ..availability import offers
from ..enums import OPEN_STATUSES, Audience, PhotoKind, RejectionReason, Status
from ..models import Categorie, CategorieCommune, Historique, Photo, Signalement
from ..positions import public_coordinate
from ..questions.answers import InvalidAnswers
from ..questions.models import Question
from ..questions.open311 import answers_from
from ..questions.open311 import attributes as question_attributes
from . import formats
from .models import ApiKey

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Date of the last change to this API's behaviour: update it with any such change.
CHANGESET = "2026-11-26T00:00:00+01:00"
DEFAULT_WINDOW = timedelta(days=90)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_PAGE = 1_000_000  # (page - 1) × page_size must stay a valid OFFSET
MAX_DESCRIPTION = 2000


class Open311Error(Exception):
    """Answered as the spec's error list, with ``status`` as both HTTP status and error code."""

    def __init__(self, status, description):
        super().__init__(description)
        self.status = status
        self.description = description


def endpoint(*methods):
    """A public Open311 view: known format suffix, allowed method, errors in the spec's shape."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, fmt, **kwargs):
            if fmt not in formats.CONTENT_TYPES:
                return formats.error(None, 404, "Format inconnu : terminez l'adresse par .json ou .xml.")
            if request.method not in methods:
                response = formats.error(fmt, 405, f"Méthode {request.method} non prise en charge ici.")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                response = view(request, fmt, **kwargs)
            except Open311Error as exc:
                response = formats.error(fmt, exc.status, exc.description)
            if request.method in ("GET", "HEAD"):
                # Public, cookie-less data: browser-based Open311 clients may read it.
                response["Access-Control-Allow-Origin"] = "*"
            return response

        # How the NUL-byte guard (core.middleware.RejectNulBytesMiddleware) answers here.
        wrapper.bad_request = lambda request, message, fmt, **kwargs: formats.error(fmt, 400, message)
        return login_not_required(wrapper)

    return decorator


# --- Discovery and services -------------------------------------------------------------------


@endpoint("GET", "HEAD")
def discovery(request, fmt):
    base_url = settings.SITE_URL + reverse("open311:discovery", kwargs={"fmt": fmt}).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": f"{settings.SITE_NAME} : {settings.SITE_URL}/",
        "key_service": (
            "Le dépôt de signalements (POST requests) demande une clé d'API : demandez-la à l'équipe "
            f"de l'{settings.SITE_NAME}. La consultation est libre, sans clé."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return formats.render(fmt, "discovery", data)


@endpoint("GET", "HEAD")
def service_list(request, fmt):
    categories = _services(_jurisdiction(request.GET))
    prefetch_related_objects(
        categories,
        Prefetch(
            "sous_categories", queryset=Categorie.objects.filter(is_active=True), to_attr="active_children"
        ),
        Prefetch("questions", queryset=Question.objects.filter(is_active=True), to_attr="active_questions"),
    )
    categories_with_assets(categories)
    return formats.render(fmt, "services", [_service_data(categorie) for categorie in categories])


@endpoint("GET", "HEAD")
def service_definition(request, fmt, service_code):
    commune = _jurisdiction(request.GET)
    categorie = next((c for c in _services(commune) if c.code == service_code), None)
    if categorie is None:
        raise Open311Error(404, f"service_code « {service_code} » inconnu.")
    attributes = question_attributes(categorie)
    attributes += actif_attributes(categorie, order=len(attributes) + 1)
    definition = {"service_code": categorie.code, "attributes": attributes}
    return formats.render(fmt, "service_definition", definition)


def _jurisdiction(params):
    insee = params.get("jurisdiction_id", "").strip()
    if not insee:
        return None
    commune = Commune.objects.filter(insee=insee).first()
    if commune is None:
        raise Open311Error(
            404, f"jurisdiction_id « {insee} » inconnu : donnez le code INSEE d'une commune de la métropole."
        )
    return commune


def _services(commune):
    """Active top-level categories; in a commune, only those open to citizens there."""
    if commune is None:
        return list(Categorie.objects.filter(parent__isnull=True, is_active=True))
    return [offer.categorie for offer in offers(commune, Audience.CITOYEN) if offer.is_open]


def _service_data(categorie):
    return {
        "service_code": categorie.code,
        "service_name": categorie.nom,
        # The notice (e.g. "in danger, call 112") must reach people before they file.
        "description": " — ".join(text for text in (categorie.description, categorie.notice) if text),
        # True when the category asks questions or has assets: the client reads them in services/{code}.
        "metadata": bool(categorie.active_questions) or getattr(categorie, "a_des_actifs", False),
        "type": "realtime",
        "keywords": ", ".join(child.nom for child in categorie.active_children),
        "group": "",
    }


# --- Service requests ---------------------------------------------------------------------------


@csrf_exempt  # machine clients authenticate with api_key, and never as a session user (see _create)
@endpoint("GET", "HEAD", "POST")
def service_requests(request, fmt):
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET
    reports = _public_requests()
    commune = _jurisdiction(params)
    if commune is not None:
        reports = reports.filter(commune=commune)
    ids = params.get("service_request_id", "").strip()
    # The spec: a list of ids overrides every other search argument.
    reports = reports.filter(pk__in=_ids(ids)) if ids else _search(reports, params)
    page = _positive_int(params, "page", 1, MAX_PAGE)
    page_size = min(_positive_int(params, "page_size", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    return formats.render(
        fmt, "service_requests", [_request_data(report) for report in reports[start : start + page_size]]
    )


@endpoint("GET", "HEAD")
def service_request(request, fmt, service_request_id):
    reports = _public_requests()
    commune = _jurisdiction(request.GET)
    if commune is not None:
        reports = reports.filter(commune=commune)
    pk = _id(service_request_id)
    report = reports.filter(pk=pk).first() if pk is not None else None
    if report is None:
        raise Open311Error(404, f"Aucun signalement public n'a l'identifiant « {service_request_id} ».")
    return formats.render(fmt, "service_requests", [_request_data(report)])


@endpoint("GET", "HEAD")
def token_lookup(request, fmt, token):
    report = Signalement.objects.exclude(rejection_reason=RejectionReason.SPAM).filter(token=token).first()
    if report is None:
        raise Open311Error(404, "Jeton inconnu.")
    return formats.render(
        fmt, "service_requests", [{"service_request_id": str(report.pk), "token": report.token}]
    )


def _public_requests():
    """Reports any Open311 client may read, with what the output needs in one query."""
    current_public_entry = Historique.objects.filter(
        signalement=OuterRef("pk"), is_public=True, to_status=OuterRef("status")
    ).order_by("-at", "-pk")
    routing = CategorieCommune.objects.filter(commune=OuterRef("commune"), categorie=OuterRef("categorie"))
    first_photo = Photo.objects.filter(signalement=OuterRef("pk"), kind=PhotoKind.SIGNALEMENT).order_by(
        "created_at", "pk"
    )
    return (
        Signalement.objects.exclude(rejection_reason=RejectionReason.SPAM)
        .select_related("categorie", "service")
        .annotate(
            wgs84=Transform("geom", 4326),
            public_note=Subquery(current_public_entry.values("note")[:1]),
            target_days=Subquery(routing.values("delai_cible_jours")[:1]),
            first_photo=Subquery(first_photo.values("pk")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def _search(reports, params):
    codes = _csv(params.get("service_code", ""))
    if codes:
        reports = reports.filter(categorie__code__in=codes)
    statuses = set(_csv(params.get("status", "")))
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status vaut open, closed, ou les deux séparés par une virgule.")
    if statuses == {"open"}:
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        reports = reports.exclude(status__in=OPEN_STATUSES)
    start, end = _window(_date(params, "start_date"), _date(params, "end_date"))
    return reports.filter(created_at__gte=start, created_at__lte=end)


def _window(start, end):
    """The spec's search window: 90 days at most, the last 90 days by default."""
    if start and end:
        if end < start:
            raise Open311Error(400, "end_date est antérieure à start_date.")
        if end - start > DEFAULT_WINDOW:
            raise Open311Error(400, "La période entre start_date et end_date ne peut pas dépasser 90 jours.")
        return start, end
    if start:
        return start, start + DEFAULT_WINDOW
    if end:
        return end - DEFAULT_WINDOW, end
    now = timezone.now()
    return now - DEFAULT_WINDOW, now


def _date(params, name):
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return aware_datetime(raw)
    except ValueError as error:
        raise Open311Error(400, f"{name} doit être {DATETIME_HELP}.") from error


def _csv(raw):
    return [part.strip() for part in raw.split(",") if part.strip()]


def _id(raw):
    try:
        return bounded_int(raw, 0, BIGINT_MAX)
    except ValueError:
        return None


def _ids(raw):
    ids = [_id(part) for part in _csv(raw)]
    if None in ids:
        raise Open311Error(400, "service_request_id : des identifiants numériques séparés par des virgules.")
    return ids


def _positive_int(params, name, default, maximum=BIGINT_MAX):
    raw = params.get(name, "").strip()
    if not raw:
        return default
    try:
        return bounded_int(raw, 1, maximum)
    except ValueError as error:
        raise Open311Error(400, f"{name} doit être un entier entre 1 et {maximum}.") from error


def _expected(report):
    """The planned intervention's day once « planifié » (its start, Paris time), else the target delay."""
    if report.status == Status.PLANIFIE and report.date_intervention_prevue:
        return timezone.make_aware(datetime.combine(report.date_intervention_prevue, time.min))
    return report.created_at + timedelta(days=report.target_days) if report.target_days else None


def _request_data(report):
    expected = _expected(report)
    return {
        "service_request_id": str(report.pk),
        "status": "open" if report.is_open else "closed",
        "status_notes": status_notes(report),
        "service_name": report.categorie.nom,
        "service_code": report.categorie.code,
        "description": report.description if report.description_validee else "",
        "agency_responsible": report.service.nom if report.service_id else "",
        "service_notice": _delay_notice(report.target_days),
        "requested_datetime": formats.iso(report.created_at),
        "updated_datetime": formats.iso(report.updated_at),
        "expected_datetime": formats.iso(expected),
        "address": report.adresse,
        "address_id": "",
        "zipcode": "",
        "lat": public_coordinate(report.wgs84.y),
        "long": public_coordinate(report.wgs84.x),
        "media_url": _media_url(report),
    }


def _media_url(report):
    """The reporter's first photo once the report is published: the photo view serves it to
    anyone from then on (signalements.media), and to no one else before."""
    if report.first_photo is None or not report.is_published:
        return ""
    return settings.SITE_URL + reverse("signalements:photo", args=[report.first_photo])


def status_notes(report):
    """Our detailed status in words, since ``status`` only says open or closed."""
    note = (report.public_note or "").strip()
    if report.status == Status.REJETE and report.rejection_reason:
        prefix = f"{report.get_rejection_reason_display()}."
    elif report.status == Status.DOUBLON and report.parent_id:
        prefix = f"Doublon du signalement {report.parent_id}."
    else:
        return note or report.get_status_display()
    return f"{prefix} {note}".strip()


def _delay_notice(days):
    return f"Délai de traitement visé : {days} jour{'s' if days > 1 else ''}." if days else ""


# --- Filing -------------------------------------------------------------------------------------


def _create(request, fmt):
    """File a report for an Open311 client, through the same service as our own form.

    The client files as an anonymous citizen even if the request carries a session cookie: this
    view is CSRF-exempt, so a signed-in user's rights must never apply here. ``media_url`` is
    accepted and ignored: we do not download remote media. Without lat/long, ``address_string``
    is geocoded by the national address API when one is configured (``_location``).
    ``first_name``, ``last_name``, ``phone``, ``address_id``, ``device_id`` and ``account_id``
    are accepted and not stored (the e-mail alone serves to follow the report).
    No per-IP limit (``signalements.ratelimit``) here: a client files for many people from one
    server, so its api_key is what we withdraw in case of abuse.
    """
    data = request.POST
    api_key = data.get("api_key", "")
    client = ApiKey.objects.filter(key=api_key, is_active=True).first() if api_key else None
    if client is None:
        raise Open311Error(403, "Clé d'API (api_key) absente ou invalide : le signalement n'est pas déposé.")
    commune = _jurisdiction(data)
    categorie = _categorie(data.get("service_code", "").strip())
    try:
        actif = actif_from(categorie, data)
    except services.FilingError as exc:
        raise Open311Error(400, str(exc)) from exc
    # On an asset the report goes where the asset is: lat/long, if sent, are not needed.
    lon, lat, adresse = (*services.actif_lonlat(actif, categorie), "") if actif else _location(data, commune)
    if commune is not None and not Commune.objects.containing(lon, lat).filter(pk=commune.pk).exists():
        raise Open311Error(400, f"Le point (lat, long) n'est pas dans la commune {commune} indiquée.")
    description = data.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, f"La description ne doit pas dépasser {MAX_DESCRIPTION} caractères.")
    content = {
        "lon": lon,
        "lat": lat,
        "categorie": categorie,
        "description": description,
        "email": _email(data.get("email", "").strip()),
        "reponses": answers_from(data),
    }
    try:
        claim = idempotency.Claim.of(
            "open311", f"open311:{client.pk}", idempotency.key_from(request), **content
        )
        # A retry with the same Idempotency-Key gets the report already filed, not a second one.
        report = claim.previous() or claim.file(
            lambda: services.file_signalement(
                user=AnonymousUser(), **content, ip=client_ip(request), adresse=adresse, actif=actif
            )
        )
    except idempotency.IdempotencyError as exc:
        raise Open311Error(exc.status, str(exc)) from exc
    except InvalidAnswers as exc:
        # One error per attribute at fault, so that a client can show each beside its field.
        errors = [
            {"code": 400, "description": f"attribute[{code}] : {text}"} for code, text in exc.errors.items()
        ]
        return formats.render(fmt, "errors", errors, status=400)
    except services.FilingError as exc:
        raise Open311Error(400, str(exc)) from exc
    routing = CategorieCommune.objects.filter(commune=report.commune_id, categorie=categorie).first()
    delay = _delay_notice(routing.delai_cible_jours if routing else None)
    notice = f"Signalement {report.reference} enregistré. {delay}"
    return formats.render(
        fmt,
        "service_requests",
        [{"service_request_id": str(report.pk), "service_notice": notice.strip(), "account_id": None}],
    )


def _categorie(code):
    if not code:
        raise Open311Error(400, "service_code est obligatoire.")
    categorie = Categorie.objects.filter(code=code, parent__isnull=True, is_active=True).first()
    if categorie is None:
        raise Open311Error(400, f"service_code « {code} » inconnu : voyez la liste services.json.")
    return categorie


def _location(data, commune):
    """(lon, lat, address label): lat/long as sent, else address_string geocoded by the national
    address API (ADRESSE_API_URL), restricted to ``commune`` when the client named one."""
    address = data.get("address_string", "").strip()
    has_point = data.get("lat", "").strip() or data.get("long", "").strip()
    if has_point or not address or not settings.ADRESSE_API_URL:
        return (*_coordinates(data), "")
    try:
        place = geocoding.locate(address, commune)
    except geocoding.AddressError as exc:
        raise Open311Error(exc.status, f"address_string : {exc}") from exc
    return place.lon, place.lat, place.label


def _coordinates(data):
    raw_lat, raw_lon = data.get("lat", "").strip(), data.get("long", "").strip()
    if (not raw_lat or not raw_lon) and settings.ADRESSE_API_URL:
        raise Open311Error(400, "Donnez lat et long (WGS84), ou bien address_string sans lat ni long.")
    if not raw_lat or not raw_lon:
        raise Open311Error(
            400,
            "lat et long sont obligatoires (WGS84) : ce serveur ne localise pas "
            "les signalements à partir de address_string ou address_id.",
        )
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except ValueError:
        lat = lon = math.nan
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise Open311Error(400, "lat et long doivent être des degrés décimaux WGS84 (ex. 43.2951 et 5.3741).")
    return lon, lat


def _email(email):
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError as exc:
        raise Open311Error(400, "email n'est pas une adresse électronique valide.") from exc
    if len(email) > 254:
        raise Open311Error(400, "email est trop long.")
    return email
