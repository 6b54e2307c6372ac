"""OGC API – Tiles at /ogc/: the tile matrix set, each collection's tilesets, its MVT tiles and a TileJSON.

Web maps (MapLibre through the TileJSON), QGIS and GDAL read the same tiles. A restricted
collection's tiles answer only to a session or an API token with the right (``access.admit``,
logged once per user, collection and hour) and stay out of shared caches and search engines.
Public tiles may be kept a minute by browsers and proxies; everyone revalidates with the ETag.
"""

import json
import re
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from gouvernance.enums import Sensibilite

from . import access, links, tiles
from .registry import get_collection
from .tilesets import CRS84, CRS_3857, MVT, TMS_ID, TMS_URI, limits, tile_matrix_set

JSON = "application/json"
TILESET_REL = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
TILING_SCHEME_REL = "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme"
TILING_SCHEMES_REL = "http://www.opengis.net/def/rel/ogc/1.0/tiling-schemes"
TILE_TEMPLATE = "{tileMatrix}/{tileRow}/{tileCol}"
NUMBER = re.compile(r"^[0-9]{1,9}$")
TILE_FORMATS = {"mvt", "pbf"}
DOCUMENT_FORMATS = {"json"}

links.CONFORMANCE.extend(
    [
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
        "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
        "http://www.opengis.net/spec/tms/2.0/conf/tilematrixset",
        "http://www.opengis.net/spec/tms/2.0/conf/json-tilematrixset",
    ]
)


class Refused(Exception):
    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


def absolute(request, name, *args):
    namespace = request.resolver_match.namespace if request.resolver_match else "ogc"
    return request.build_absolute_uri(reverse(f"{namespace}:{name}" if namespace else name, args=args))


def tile_view(formats):
    """Public GET views that also take an API token; every refusal is a JSON exception document."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            try:
                _accepted_format(request, formats)
                _authenticated(request)
                response = view(request, *args, **kwargs)
            except Refused as refused:
                response = refused.response
            patch_vary_headers(response, ["Authorization", "Cookie"])
            return response

        return login_not_required(require_safe(wrapped))

    return decorator


def _accepted_format(request, formats):
    chosen = request.GET.get("f")
    if chosen is not None and chosen not in formats:
        expected = " ou ".join(sorted(formats))
        message = f"Paramètre « f » : {expected} attendu, pas « {chosen[:40]} »."
        raise Refused(access.error_response(400, message))


def _authenticated(request):
    try:
        access.authenticate(request)
    except access.TokenRefused as refused:
        raise Refused(
            access.error_response(401, refused.message, {"WWW-Authenticate": 'Token realm="ogc"'})
        ) from None


def json_response(document, content_type=JSON):
    return HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type=f"{content_type}; charset=utf-8"
    )


def tiled_collection(request, collection_id, tms, format, tile=False):
    """(collection, restricted?) when it has tiles in ``tms`` and the caller may read it; else Refused."""
    collection = get_collection(collection_id)
    if collection is None or collection.tiles is None:
        raise Refused(
            access.error_response(
                404, f"Aucune collection « {collection_id[:80]} » servie en tuiles vectorielles."
            )
        )
    if tms != TMS_ID:
        raise Refused(
            access.error_response(
                404, f"Grille de tuilage inconnue « {tms[:40]} » : seule {TMS_ID} est servie."
            )
        )
    jeu, decision = access.check(request, collection, format, tile=tile)
    if not decision.allowed:
        raise Refused(access.json_refusal(request, decision))
    return collection, jeu.sensibilite != Sensibilite.PUBLIC


def caching_headers(response, collection, restricted):
    if restricted:
        # DVF's terms forbid indexing and re-identification: no shared cache, no search engine.
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        response["Cache-Control"] = f"public, max-age={collection.tiles.cache_seconds}"
    return response


@tile_view(DOCUMENT_FORMATS)
def tile_matrix_sets(request):
    return json_response(
        {
            "tileMatrixSets": [
                {
                    "id": TMS_ID,
                    "title": "Google Maps Compatible for the World",
                    "uri": TMS_URI,
                    "links": [
                        {"rel": "self", "type": JSON, "href": absolute(request, "tiles-matrix-set", TMS_ID)}
                    ],
                }
            ]
        }
    )


@tile_view(DOCUMENT_FORMATS)
def tile_matrix_set_view(request, tms):
    if tms != TMS_ID:
        return access.error_response(
            404, f"Grille de tuilage inconnue « {tms[:40]} » : seule {TMS_ID} est servie."
        )
    return json_response(tile_matrix_set())


def _tileset_links(request, collection):
    tileset = absolute(request, "tiles-tileset", collection.id, TMS_ID)
    return [
        {"rel": "self", "type": JSON, "href": tileset, "title": "Ce jeu de tuiles"},
        {"rel": TILING_SCHEME_REL, "type": JSON, "href": absolute(request, "tiles-matrix-set", TMS_ID)},
        {
            "rel": "item",
            "type": MVT,
            "href": f"{tileset}/{TILE_TEMPLATE}",
            "templated": True,
            "title": "Tuiles vectorielles (Mapbox Vector Tile)",
        },
        {
            "rel": "describedby",
            "type": "application/vnd.mapbox.tile+json",
            "href": absolute(request, "tiles-tilejson", collection.id, TMS_ID),
            "title": "TileJSON 3.0.0, pour les cartes web",
        },
    ]


def _tileset_summary(request, collection):
    return {
        "title": collection.title,
        "dataType": "vector",
        "crs": CRS_3857,
        "tileMatrixSetURI": TMS_URI,
        "links": _tileset_links(request, collection),
    }


@tile_view(DOCUMENT_FORMATS)
def tilesets(request, collection_id):
    collection, restricted = tiled_collection(request, collection_id, TMS_ID, "json")
    document = {
        "links": [{"rel": "self", "type": JSON, "href": absolute(request, "tiles-tilesets", collection.id)}],
        "tilesets": [_tileset_summary(request, collection)],
    }
    return caching_headers(json_response(document), collection, restricted)


@tile_view(DOCUMENT_FORMATS)
def tileset(request, collection_id, tms):
    collection, restricted = tiled_collection(request, collection_id, tms, "json")
    settings_ = collection.tiles
    west, south, east, north = settings.SPATIAL_EXTENT
    document = {
        **_tileset_summary(request, collection),
        "description": collection.description,
        "tileMatrixSetLimits": limits(settings.SPATIAL_EXTENT, settings_.min_zoom, settings_.max_zoom),
        "boundingBox": {"lowerLeft": [west, south], "upperRight": [east, north], "crs": CRS84},
        "layers": [
            {
                "id": collection.id,
                "title": collection.title,
                "dataType": "vector",
                "geometryDimension": _dimension(collection),
                "minTileMatrix": str(settings_.min_zoom),
                "maxTileMatrix": str(settings_.max_zoom),
                "propertiesSchema": {
                    "type": "object",
                    "properties": {
                        name: {"type": kind.lower() if kind != "Number" else "number"}
                        for name, kind in tiles.fields(collection).items()
                    },
                },
            }
        ],
    }
    if settings_.detail_zoom is not None:
        document["description"] += (
            f" En dessous du zoom {settings_.detail_zoom}, les tuiles portent des regroupements "
            "(propriété « count » et agrégats) plutôt que les objets eux-mêmes."
        )
    return caching_headers(json_response(document), collection, restricted)


def _dimension(collection):
    kind = collection.geometry_type.removeprefix("Multi")
    return {"Point": 0, "LineString": 1, "Polygon": 2}.get(kind, 2)


@tile_view(DOCUMENT_FORMATS)
def tilejson(request, collection_id, tms):
    collection, restricted = tiled_collection(request, collection_id, tms, "json")
    settings_ = collection.tiles
    west, south, east, north = settings.SPATIAL_EXTENT
    template = absolute(request, "tiles-tileset", collection.id, TMS_ID) + "/{z}/{y}/{x}"
    document = {
        "tilejson": "3.0.0",
        "name": collection.title,
        "description": collection.description,
        "tiles": [template],
        "scheme": "xyz",
        "minzoom": settings_.min_zoom,
        "maxzoom": settings_.max_zoom,
        "bounds": [west, south, east, north],
        "center": [round((west + east) / 2, 4), round((south + north) / 2, 4), max(settings_.min_zoom, 9)],
        "vector_layers": [
            {
                "id": collection.id,
                "description": collection.title,
                "minzoom": settings_.min_zoom,
                "maxzoom": settings_.max_zoom,
                "fields": tiles.fields(collection),
            }
        ],
    }
    return caching_headers(json_response(document), collection, restricted)


def _tile_number(raw, name):
    if not NUMBER.match(raw):
        raise Refused(
            access.error_response(
                400, f"« {raw[:40]} » n'est pas un {name} valide : un entier positif est attendu."
            )
        )
    return int(raw)


@tile_view(TILE_FORMATS)
def tile(request, collection_id, tms, z, y, x):
    z = _tile_number(z, "niveau de zoom (tileMatrix)")
    y = _tile_number(y, "numéro de ligne (tileRow)")
    x = _tile_number(x, "numéro de colonne (tileCol)")
    collection, restricted = tiled_collection(request, collection_id, tms, "mvt", tile=True)
    settings_ = collection.tiles
    if not settings_.min_zoom <= z <= settings_.max_zoom:
        return access.error_response(
            404,
            f"Niveau {z} hors de la plage de cette collection ({settings_.min_zoom} à {settings_.max_zoom}).",
        )
    if x >= 2**z or y >= 2**z:
        return access.error_response(404, f"Tuile {z}/{y}/{x} hors de la grille {TMS_ID} (0 à {2**z - 1}).")
    query = tiles.tile_query(collection, z, x, y)
    key = tiles.cache_key(collection, query, z, x, y)
    etag = tiles.etag(key) if key else None
    if etag and etag in _if_none_match(request):
        response = HttpResponse(status=304)
    else:
        content = tiles.content(query, key)
        response = HttpResponse(content, content_type=MVT, status=200 if content else 204)
    if etag:
        response["ETag"] = etag
    return caching_headers(response, collection, restricted)


def _if_none_match(request):
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def _landing_links(request):
    return [
        {
            "rel": TILING_SCHEMES_REL,
            "type": JSON,
            "href": absolute(request, "tiles-matrix-sets"),
            "title": "Grilles de tuilage",
        }
    ]


def _collection_links(request, collection):
    if collection.tiles is None:
        return []
    return [
        {
            "rel": TILESET_REL,
            "type": JSON,
            "href": absolute(request, "tiles-tilesets", collection.id),
            "title": "Tuiles vectorielles",
        }
    ]


links.LANDING_LINKS.append(_landing_links)
links.COLLECTION_LINKS.append(_collection_links)
