"""Place search for maps: the national address API (BAN) when configured, else commune names;
and ``locate``, one address to one point of the territory, for clients that file by address.

The address API is an internet service: without ADRESSE_API_URL (offline machines, tests), or
when it fails or is slow, the search falls back to the communes of the territory; ``locate``
has no such fallback (a commune's centre is no place for a report) and says why it failed.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.db.models.functions import PointOnSurface, Transform
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Value
from django.db.models.functions import Lower

from .enums import ZoneType
from .models import Commune

logger = logging.getLogger(__name__)


def search(query, limit=5):
    """(source, results); each result has label, lon, lat, kind and the commune's INSEE code."""
    query = " ".join(query.split())[:200]
    if len(query) < 3:
        return "communes", []
    if settings.ADRESSE_API_URL:
        try:
            return "adresses", _search_addresses(query, limit)
        except (OSError, ValueError, KeyError) as error:
            logger.warning("API Adresse indisponible (%s) : recherche dans les communes.", error)
    return "communes", _search_communes(query, limit)


def _search_communes(query, limit):
    communes = (
        Commune.objects.filter(epci__isnull=False)
        .annotate(
            nom_simple=Unaccent(Lower("nom")),
            similarity=TrigramSimilarity(Unaccent(Lower("nom")), Unaccent(Lower(_literal(query)))),
            centre=Transform(PointOnSurface("geom"), 4326),
        )
        .filter(nom_simple__contains=Unaccent(Lower(_literal(query))))
        .order_by("-similarity", "nom")[:limit]
    )
    return [
        {
            "label": f"{c.nom} (commune)",
            "lon": round(c.centre.x, 6),
            "lat": round(c.centre.y, 6),
            "kind": "commune",
            "insee": c.insee,
        }
        for c in communes
    ]


def _literal(text):
    return Value(text)


def _territory_centre():
    west, south, east, north = settings.SPATIAL_EXTENT
    return (west + east) / 2, (south + north) / 2


def _ban_features(**params):
    """The features the address API answers for these parameters (OSError, ValueError, KeyError)."""
    url = f"{settings.ADRESSE_API_URL}?{urllib.parse.urlencode(params)}"
    # URL from settings; a slow API must not hold a worker: the timeout is short.
    with urllib.request.urlopen(url, timeout=settings.ADRESSE_API_TIMEOUT) as response:  # noqa: S310
        payload = json.load(response)
    return payload["features"]


def _search_addresses(query, limit):
    lon, lat = _territory_centre()  # bias the ranking towards the territory
    results = []
    for feature in _ban_features(q=query, limit=limit * 3, lon=lon, lat=lat):
        props = feature["properties"]
        commune = Commune.for_official_code(props.get("citycode", ""))
        # Only places of the territory: the BAN answers for the whole of France.
        if commune is None or commune.epci_id is None:
            continue
        x, y = feature["geometry"]["coordinates"]
        results.append(
            {
                "label": props["label"],
                "lon": x,
                "lat": y,
                "kind": props.get("type", "adresse"),
                "insee": commune.insee,
            }
        )
        if len(results) == limit:
            break
    return results


# --- One address to one point (filing by address) -------------------------------------------

# BAN scores run from 0 to 1; below this the match is a guess (a typo-ridden or partial address).
MIN_SCORE = 0.6
# Two matches closer than this are two readings of the same words: the client must say which.
AMBIGUITY_MARGIN = 0.05
# A whole commune is no place for a report: a street at least, or a named place.
PRECISE_TYPES = {"housenumber", "street", "locality"}
UNAVAILABLE = "Le service national d'adresses ne répond pas : réessayez plus tard, ou envoyez lat et long."


class AddressError(Exception):
    """The address gives no single point; ``status`` is 400 (the address) or 503 (the API)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Located:
    lon: float
    lat: float
    label: str
    commune: Commune


def locate(address, commune=None):
    """The one point of the territory (of ``commune`` when given) the address API finds for
    ``address``, or AddressError with a French message. Only with ADRESSE_API_URL set."""
    query = " ".join(address.split())
    if not 3 <= len(query) <= 200:
        raise AddressError("L'adresse doit compter de 3 à 200 caractères.")
    try:
        features = _ban_features(**_locate_params(query, commune))
        candidates = [_candidate(feature) for feature in features]
    except urllib.error.HTTPError as error:
        if error.code >= 500:
            logger.warning("API Adresse en erreur pour localiser une adresse (%s).", error)
            raise AddressError(UNAVAILABLE, status=503) from error
        # The API refuses the query itself (e.g. no letter or digit to start with).
        raise AddressError(
            f"« {query} » n'est pas une adresse que le service national peut chercher."
        ) from error
    except (OSError, ValueError, KeyError, TypeError) as error:
        logger.warning("API Adresse indisponible pour localiser une adresse (%s).", error)
        raise AddressError(UNAVAILABLE, status=503) from error
    scored = [c for c in candidates if c["score"] >= MIN_SCORE]
    here = [c for c in scored if c["commune"] is not None and c["commune"].epci_id is not None]
    if commune is not None:
        here = [c for c in here if c["commune"].pk == commune.pk]
    if not here:
        raise AddressError(_not_found(query, scored, commune))
    best, *others = sorted(here, key=lambda c: -c["score"])
    rivals = [
        c for c in others if c["label"] != best["label"] and best["score"] - c["score"] < AMBIGUITY_MARGIN
    ]
    if rivals:
        labels = " ; ".join(f"« {c['label']} »" for c in [best, *rivals][:3])
        raise AddressError(
            f"L'adresse « {query} » peut désigner plusieurs lieux : {labels}. "
            "Précisez le numéro, le code postal ou la commune."
        )
    if best["type"] not in PRECISE_TYPES:
        raise AddressError(
            f"« {best['label']} » désigne toute une commune : donnez au moins une rue ou un lieu-dit."
        )
    return Located(best["lon"], best["lat"], best["label"], best["commune"])


def _locate_params(query, commune):
    params = {"q": query, "limit": 5}
    if commune is None:
        params["lon"], params["lat"] = _territory_centre()
    elif commune.zones.filter(type=ZoneType.ARRONDISSEMENT).exists():
        # The BAN codes Marseille's addresses by arrondissement (13201…13216): a filter on the
        # commune's own code would find nothing, so the ranking is biased towards it instead.
        centre = Commune.objects.annotate(centre=Transform(PointOnSurface("geom"), 4326)).get(pk=commune.pk)
        params["lon"], params["lat"] = round(centre.centre.x, 6), round(centre.centre.y, 6)
    else:
        params["citycode"] = commune.insee
    return params


def _candidate(feature):
    props = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"]
    return {
        "label": props["label"],
        "score": float(props["score"]),
        "type": props.get("type", ""),
        "lon": float(lon),
        "lat": float(lat),
        "commune": Commune.for_official_code(props.get("citycode", "")) if props.get("citycode") else None,
    }


def _not_found(query, scored, commune):
    elsewhere = next((c for c in scored if c["commune"] is None or c["commune"].epci_id is None), None)
    if elsewhere is not None and commune is None:
        return f"L'adresse trouvée pour « {query} » (« {elsewhere['label']} ») n'est pas dans la métropole."
    where = f"à {commune.nom}" if commune is not None else "dans la métropole"
    return f"Adresse introuvable {where} : « {query} ». Vérifiez-la, ou envoyez lat et long."
