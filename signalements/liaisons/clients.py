"""What goes over the wire to a service's system: its Open311 server, or its signed webhook.

Nothing personal leaves the portal: no reporter e-mail, name, account or address. The service
gets what it needs to act: the category (in its own codes), the exact position, the text, the
answers to the category's questions and the asset identifier.
"""

import json

import requests
from django.conf import settings
from django.contrib.gis.db.models.functions import Transform
from django.urls import reverse
from django.utils import timezone

from ..models import Signalement
from .signature import signed_headers

TIMEOUT = 10  # seconds; the task holds the Envoi's row lock meanwhile
USER_AGENT = "observatoire-metropolitain-liaisons/1"
RETRYABLE_STATUSES = {408, 425, 429}


class TransientError(Exception):
    """Worth trying again later (their server down, slow or overloaded)."""


class PermanentError(Exception):
    """Their answer will not change by itself (bad key, unknown service code): a person must act."""


def _wgs84(report):
    return (
        Signalement.objects.annotate(wgs84=Transform("geom", 4326))
        .values_list("wgs84", flat=True)
        .get(pk=report.pk)
    )


def _call(method, url, **kwargs):
    headers = {"User-Agent": USER_AGENT, **kwargs.pop("headers", {})}
    try:
        response = requests.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise TransientError(f"{url} injoignable : {error.__class__.__name__} ({error})") from error
    if response.status_code >= 500 or response.status_code in RETRYABLE_STATUSES:
        raise TransientError(f"{url} a répondu {response.status_code}.")
    if response.status_code >= 400:
        raise PermanentError(f"{url} a refusé ({response.status_code}) : {_error_text(response)}")
    return response


def _error_text(response):
    """The descriptions of an Open311 error list, or the start of whatever else they sent."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(data, list):
        return " ".join(str(item.get("description", item)) for item in data if isinstance(item, dict))[:500]
    return json.dumps(data, ensure_ascii=False)[:500]


# --- Open311 -------------------------------------------------------------------------------------


def _base(liaison):
    """Their base URL with its final slash, typed or not (``…/v2`` and ``…/v2/`` alike)."""
    return liaison.open311_url.rstrip("/") + "/"


def _jurisdiction(liaison):
    return {"jurisdiction_id": liaison.open311_jurisdiction} if liaison.open311_jurisdiction else {}


# Where the asset identifier goes, by the name their service definition gives it.
ASSET_ATTRIBUTES = ("equipement", "asset_id")


def open311_attributes(liaison, service_code):
    """The attribute codes their definition of the service declares; none without a definition.

    Only those are sent: a server that checks attributes (ours does) refuses an unknown one.
    """
    params = _jurisdiction(liaison)
    try:
        response = _call("GET", f"{_base(liaison)}services/{service_code}.json", params=params)
        return {str(item["code"]) for item in response.json().get("attributes") or []}
    except PermanentError:
        return set()  # no definition (metadata false): the service takes no attribute
    except (ValueError, LookupError, AttributeError, TypeError) as error:
        raise TransientError(f"Définition Open311 illisible : {response.text[:200]}") from error


def open311_fields(liaison, report):
    """The GeoReport v2 POST fields of a report, as a list of pairs (multi-valued attributes repeat)."""
    point = _wgs84(report)
    code = liaison.open311_codes.get(report.categorie.code, report.categorie.code)
    fields = [
        ("api_key", liaison.open311_api_key),
        ("service_code", code),
        ("lat", f"{point.y:.6f}"),
        ("long", f"{point.x:.6f}"),
        ("description", report.description),
    ]
    if liaison.open311_jurisdiction:
        fields.append(("jurisdiction_id", liaison.open311_jurisdiction))
    if report.adresse:
        fields.append(("address_string", report.adresse))
    declared = open311_attributes(liaison, code) if report.reponses or report.actif_identifiant else set()
    for name, value in sorted(report.reponses.items()):
        if name not in declared:
            continue
        if isinstance(value, list):
            fields.extend((f"attribute[{name}][]", str(item)) for item in value)
        else:
            fields.append((f"attribute[{name}]", str(value)))
    asset = next((name for name in ASSET_ATTRIBUTES if name in declared), None)
    if report.actif_identifiant and asset:
        fields.append((f"attribute[{asset}]", report.actif_identifiant))
    return fields


def open311_file(liaison, envoi):
    """POST requests.json; the Envoi's key makes a retry after a lost answer harmless. Returns their id."""
    response = _call(
        "POST",
        _base(liaison) + "requests.json",
        data=open311_fields(liaison, envoi.signalement),
        headers={"Idempotency-Key": str(envoi.cle)},
    )
    try:
        first = response.json()[0]
        return str(first.get("service_request_id") or "")
    except (ValueError, LookupError, AttributeError, TypeError) as error:
        raise TransientError(f"Réponse Open311 illisible : {response.text[:200]}") from error


def open311_read(liaison, reference):
    """GET requests/{id}.json: their ``status`` (open/closed) and ``status_notes``."""
    params = _jurisdiction(liaison)
    response = _call("GET", f"{_base(liaison)}requests/{reference}.json", params=params)
    try:
        first = response.json()[0]
        return str(first["status"]), str(first.get("status_notes") or "")
    except (ValueError, LookupError, AttributeError, TypeError) as error:
        raise TransientError(f"Réponse Open311 illisible : {response.text[:200]}") from error


# --- Signed webhook ------------------------------------------------------------------------------


def webhook_payload(envoi):
    """The JSON document a webhook receives (documented in docs/liaisons-services.md)."""
    report = envoi.signalement
    point = _wgs84(report)
    return {
        "event": "signalement.transmis",
        "event_id": str(envoi.cle),
        "sent_at": timezone.now().isoformat(),
        "signalement": {
            "id": report.pk,
            "reference": report.reference,
            "categorie": {"code": report.categorie.code, "nom": report.categorie.nom},
            "sous_categorie": report.sous_categorie.code if report.sous_categorie_id else None,
            "commune": {"insee": report.commune.insee, "nom": report.commune.nom},
            "lat": round(point.y, 6),
            "long": round(point.x, 6),
            "adresse": report.adresse,
            "description": report.description,
            "reponses": report.reponses,
            "actif": report.actif_identifiant or None,
            "date_depot": report.created_at.isoformat(),
        },
        "retour": settings.SITE_URL + envoi_events_path(envoi),
    }


def envoi_events_path(envoi):
    return reverse("signalements:liaison-evenements", kwargs={"pk": envoi.service.liaison.pk})


def webhook_send(liaison, envoi):
    """POST the signed JSON; a ``reference`` in their JSON answer is kept as theirs."""
    body = json.dumps(webhook_payload(envoi), ensure_ascii=False, separators=(",", ":")).encode()
    response = _call(
        "POST",
        liaison.webhook_url,
        data=body,
        headers={
            "Content-Type": "application/json",
            "Idempotency-Key": str(envoi.cle),
            **signed_headers(liaison.secret, body),
        },
    )
    try:
        answer = response.json()
    except ValueError:
        return ""
    return str(answer.get("reference") or "")[:100] if isinstance(answer, dict) else ""
