"""The JSON documents of OGC API Features: landing page, collections, queryables, feature pages."""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from . import links, query
from .links import link

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
SCHEMA = "application/schema+json"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"


def absolute(request, name, *args, **params):
    url = request.build_absolute_uri(reverse(f"ogc:{name}", args=args))
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def landing(request):
    return {
        "title": f"Services géographiques de l'{settings.SITE_NAME}",
        "description": (
            "Les couches du portail de la métropole au format OGC API – Features (GeoJSON, CRS84 et "
            "Lambert-93) : communes, zonages, urbanisme, transports, signalements anonymisés, indicateurs."
        ),
        "links": [
            link(absolute(request, "landing"), "self", JSON, "Cette page"),
            link(absolute(request, "landing", f="html"), "alternate", HTML, "Cette page en HTML"),
            link(absolute(request, "api"), "service-desc", OPENAPI, "Définition de l'API (OpenAPI 3.0)"),
            link(absolute(request, "api", f="html"), "service-doc", HTML, "Documentation de l'API"),
            link(absolute(request, "conformance"), "conformance", JSON, "Classes de conformité"),
            link(absolute(request, "collections"), "data", JSON, "Collections"),
            *links.landing_links(request),
        ],
    }


def collection(request, collection):
    bbox, interval = query.extent(collection)
    document = {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "keywords": list(collection.keywords),
        "itemType": "feature",
        "crs": list(query.SUPPORTED_CRS),
        "storageCrs": query.EPSG_2154,
        "extent": {"spatial": {"bbox": [bbox or list(settings.SPATIAL_EXTENT)], "crs": query.CRS84}},
        "links": [
            link(absolute(request, "collection", collection.id), "self", JSON, collection.title),
            link(
                absolute(request, "collection", collection.id, f="html"), "alternate", HTML, collection.title
            ),
            link(absolute(request, "items", collection.id), "items", GEOJSON, "Entités (GeoJSON)"),
            link(absolute(request, "items", collection.id, f="html"), "items", HTML, "Entités (HTML)"),
            link(
                absolute(request, "queryables", collection.id),
                "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                SCHEMA,
                "Champs filtrables",
            ),
            *links.collection_links(request, collection),
        ],
    }
    if interval:
        document["extent"]["temporal"] = {"interval": [interval], "trs": GREGORIAN}
    return document


def collections(request, readable):
    return {
        "links": [
            link(absolute(request, "collections"), "self", JSON, "Collections"),
            link(absolute(request, "collections", f="html"), "alternate", HTML, "Collections en HTML"),
        ],
        "collections": [collection(request, c) for c in readable],
    }


def queryables(request, collection):
    properties = {}
    for queryable in collection.queryables:
        schema = {"title": queryable.title or queryable.name, "type": queryable.type}
        if queryable.format:
            schema["format"] = queryable.format
        if queryable.enum:
            schema["enum"] = list(queryable.enum)
        properties[queryable.name] = schema
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": absolute(request, "queryables", collection.id),
        "type": "object",
        "title": collection.title,
        "properties": properties,
        "additionalProperties": False,
    }


def page_links(request, collection, items_request, returned, matched):
    """self, alternate, next and prev: the query string kept, only the offset moved."""
    params = request.GET.copy()
    params.pop("f", None)

    def at(offset, f=None):
        moved = params.copy()
        moved["offset"] = str(offset)
        if f:
            moved["f"] = f
        return absolute(request, "items", collection.id) + "?" + moved.urlencode()

    offset, limit = items_request.offset, items_request.limit
    page = [
        link(at(offset), "self", GEOJSON, "Cette page"),
        link(at(offset, "html"), "alternate", HTML, "Cette page en HTML"),
        link(absolute(request, "collection", collection.id), "collection", JSON, collection.title),
    ]
    if offset + returned < matched:
        page.append(link(at(offset + limit), "next", GEOJSON, "Page suivante"))
    if offset > 0:
        page.append(link(at(max(offset - limit, 0)), "prev", GEOJSON, "Page précédente"))
    return page


def feature_collection(features, matched, page):
    """The page as text: the features are already GeoJSON texts written by PostGIS."""
    head = {
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "links": page,
    }
    envelope = json.dumps(head, ensure_ascii=False)
    return envelope[:-1] + ', "features": [' + ",".join(features) + "]}"
