"""The OpenAPI 3.0 definition of /ogc/ (conformance class oas30).

Parameters are written inline rather than through ``$ref``: GDAL's OAPIF driver (QGIS) reads the
``limit`` schema of the items path to size its pages, and follows no reference to find it.
"""

from django.conf import settings
from django.urls import reverse

from . import query
from .documents import GEOJSON, JSON, OPENAPI, SCHEMA
from .registry import all_collections

EXCEPTION = {
    "type": "object",
    "required": ["code"],
    "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
}


def _format():
    return {
        "name": "f",
        "in": "query",
        "required": False,
        "description": "Format de la réponse (sinon selon l'en-tête Accept)",
        "schema": {"type": "string", "enum": ["json", "html"]},
        "style": "form",
        "explode": False,
    }


def _collection_id(ids):
    return {
        "name": "collectionId",
        "in": "path",
        "required": True,
        "description": "Identifiant de la collection",
        "schema": {"type": "string", "enum": ids},
    }


def _crs(name, description):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {
            "type": "string",
            "format": "uri",
            "enum": list(query.SUPPORTED_CRS),
            "default": query.CRS84,
        },
        "style": "form",
        "explode": False,
    }


def _items_parameters(ids):
    return [
        _collection_id(ids),
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "Nombre d'entités par page",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": query.MAX_LIMIT,
                "default": query.DEFAULT_LIMIT,
            },
            "style": "form",
            "explode": False,
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": "Rang de la première entité (les liens next et prev le fixent)",
            "schema": {"type": "integer", "minimum": 0, "maximum": 10**9, "default": 0},
            "style": "form",
            "explode": False,
        },
        {
            "name": "bbox",
            "in": "query",
            "required": False,
            "description": "Emprise : ouest,sud,est,nord (CRS84 sauf bbox-crs)",
            "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
            "style": "form",
            "explode": False,
        },
        _crs("bbox-crs", "Système de coordonnées de bbox"),
        _crs("crs", "Système de coordonnées des géométries renvoyées"),
        {
            "name": "datetime",
            "in": "query",
            "required": False,
            "description": "Date, date-heure ou intervalle RFC 3339 (a/b, ../b, a/..), si la collection en a",
            "schema": {"type": "string"},
            "style": "form",
            "explode": False,
        },
        _format(),
    ]


def _responses(content_type, description):
    return {
        "200": {"description": description, "content": {content_type: {"schema": {"type": "object"}}}},
        "400": {"description": "Paramètre invalide", "content": {JSON: {"schema": EXCEPTION}}},
        "401": {"description": "Connexion ou jeton requis", "content": {JSON: {"schema": EXCEPTION}}},
        "403": {"description": "Accès refusé", "content": {JSON: {"schema": EXCEPTION}}},
        "404": {"description": "Ressource inconnue", "content": {JSON: {"schema": EXCEPTION}}},
    }


def _operation(operation_id, summary, parameters, content_type, description):
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": ["OGC API Features"],
            "parameters": parameters,
            "responses": _responses(content_type, description),
        }
    }


def document(request):
    ids = list(all_collections())
    server = request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"OGC API – Features de l'{settings.SITE_NAME}",
            "version": "1.0.0",
            "description": (
                "Couches du portail pour les SIG (QGIS, GDAL). Les collections non publiques demandent un "
                "jeton : en-tête « Authorization: Token <clé> »."
            ),
            "license": {"name": "Licence Ouverte 2.0 (sauf mention contraire de la collection)"},
        },
        "servers": [{"url": server}],
        "components": {
            "securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "Authorization"}}
        },
        "security": [{}, {"token": []}],
        "paths": {
            "/": _operation("landing", "Page d'accueil", [_format()], JSON, "Page d'accueil"),
            "/conformance": _operation(
                "conformance", "Classes de conformité", [_format()], JSON, "Conformité"
            ),
            "/api": _operation("api", "Cette définition", [_format()], OPENAPI, "Définition OpenAPI"),
            "/collections": _operation("collections", "Collections", [_format()], JSON, "Collections"),
            "/collections/{collectionId}": _operation(
                "collection", "Une collection", [_collection_id(ids), _format()], JSON, "Collection"
            ),
            "/collections/{collectionId}/queryables": _operation(
                "queryables",
                "Champs filtrables",
                [_collection_id(ids), _format()],
                SCHEMA,
                "Champs filtrables",
            ),
            "/collections/{collectionId}/items": _operation(
                "items",
                "Entités d'une collection (les champs filtrables s'ajoutent en paramètres : nom=valeur)",
                _items_parameters(ids),
                GEOJSON,
                "Page d'entités",
            ),
            "/collections/{collectionId}/items/{featureId}": _operation(
                "item",
                "Une entité",
                [
                    _collection_id(ids),
                    {"name": "featureId", "in": "path", "required": True, "schema": {"type": "string"}},
                    _crs("crs", "Système de coordonnées de la géométrie renvoyée"),
                    _format(),
                ],
                GEOJSON,
                "Entité",
            ),
        },
    }
