"""Place search for maps: the national address API (BAN) when configured, else commune names.

The address API is an internet service: without ADRESSE_API_URL (offline machines, tests), or
when it fails or is slow, the search falls back to the communes of the territory.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.contrib.gis.db.models.functions import PointOnSurface, Transform
from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import TrigramSimilarity
from django.db.models import Value
from django.db.models.functions import Lower

from .models import Commune

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 3


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


def _search_addresses(query, limit):
    west, south, east, north = settings.SPATIAL_EXTENT
    lon, lat = (west + east) / 2, (south + north) / 2  # bias the ranking towards the territory
    params = urllib.parse.urlencode({"q": query, "limit": limit * 3, "lon": lon, "lat": lat})
    url = f"{settings.ADRESSE_API_URL}?{params}"
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - URL from settings
        payload = json.load(response)
    results = []
    for feature in payload["features"]:
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
