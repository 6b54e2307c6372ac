"""OGC API – Features at /ogc/ (ADR 12): JSON for GIS clients, French HTML pages for people.

GDAL and QGIS ask for ``application/geo+json``/``application/json``; a browser asks for HTML; ``?f=``
overrides both. Non-public collections answer only to a session or token with the right, and each
page of their features is written to the download log (``access.admit``).
"""

import json
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from gouvernance import acces
from gouvernance.enums import Sensibilite

from . import access, documents, openapi, query
from .registry import all_collections, get_collection

FORMATS = {"json", "html", "geojson"}


def wants_html(request):
    chosen = request.GET.get("f")
    if chosen:
        return chosen == "html"
    accept = request.META.get("HTTP_ACCEPT", "")
    return "text/html" in accept


def ogc_view(view):
    """Public GET views that also take an API token; errors are OGC exception documents."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.GET.get("f", "json") not in FORMATS:
            return access.error_response(400, "Paramètre « f » : json ou html.")
        try:
            access.authenticate(request)
        except access.TokenRefused as refused:
            return access.error_response(401, refused.message, {"WWW-Authenticate": 'Token realm="ogc"'})
        try:
            response = view(request, *args, **kwargs)
        except query.BadRequest as error:
            if wants_html(request):
                context = {"message": str(error)}
                return render(request, "ogc/requete_invalide.html", context, status=400)
            return access.error_response(400, str(error))
        except NotFound as missing:
            if wants_html(request):
                raise Http404(str(missing)) from None
            return access.error_response(404, str(missing))
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        return response

    return login_not_required(require_safe(wrapped))


def json_response(document, content_type=documents.JSON, status=200):
    return HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type=f"{content_type}; charset=utf-8", status=status
    )


class NotFound(Exception):
    pass


def existing(collection_id):
    collection = get_collection(collection_id)
    if collection is None:
        raise NotFound(f"Aucune collection « {collection_id[:80]} ». La liste est à /ogc/collections.")
    return collection


def readable_collection(request, collection_id):
    """The collection if the caller may read it; else (None, the refusal). Nothing is logged."""
    collection = existing(collection_id)
    jeu = access.dataset(collection)
    decision = access.rows_decision(request.user, jeu)
    if decision.allowed:
        return collection, None
    return None, refusal(request, jeu, decision)


def refusal(request, jeu, decision):
    if wants_html(request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        demande_url = (
            reverse("acces:demander", args=[jeu.slug]) if acces.may_request(request.user, jeu) else ""
        )
        context = {"jeu": jeu, "decision": decision, "demande_url": demande_url}
        return render(request, "gouvernance/acces_refuse.html", context, status=403)
    return access.json_refusal(request, decision)


def restricted_headers(response, collection):
    """Non-public rows stay out of shared caches and search engines (DVF's terms forbid indexing)."""
    if access.dataset(collection).sensibilite != Sensibilite.PUBLIC:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@ogc_view
def landing(request):
    document = documents.landing(request)
    if wants_html(request):
        return render(request, "ogc/landing.html", {"document": document})
    return json_response(document)


@ogc_view
def conformance(request):
    document = {"conformsTo": list(documents.links.CONFORMANCE)}
    if wants_html(request):
        return render(request, "ogc/conformance.html", {"document": document})
    return json_response(document)


@ogc_view
def api(request):
    if wants_html(request):
        return render(request, "ogc/api.html", {"document": openapi.document(request)})
    return json_response(openapi.document(request), documents.OPENAPI)


def readable_collections(user):
    return [c for c in all_collections().values() if access.may_read(user, c)]


@ogc_view
def collections(request):
    document = documents.collections(request, readable_collections(request.user))
    if wants_html(request):
        return render(request, "ogc/collections.html", {"document": document})
    return json_response(document)


def collection_document(request, collection_id, build, template, content_type=documents.JSON):
    """A document about a collection (not its features): for those who may read it, nothing logged."""
    collection, refused = readable_collection(request, collection_id)
    if refused:
        return refused
    document = build(request, collection)
    if wants_html(request):
        response = render(request, template, {"document": document, "collection": collection})
    else:
        response = json_response(document, content_type)
    return restricted_headers(response, collection)


@ogc_view
def collection(request, collection_id):
    return collection_document(request, collection_id, documents.collection, "ogc/collection.html")


@ogc_view
def queryables(request, collection_id):
    return collection_document(
        request, collection_id, documents.queryables, "ogc/queryables.html", documents.SCHEMA
    )


def admitted(request, collection_id, format):
    """The collection if the caller may read its features (the attempt logged); else (None, the refusal)."""
    collection = existing(collection_id)
    jeu, decision = access.check(request, collection, format)
    if not decision.allowed:
        return None, refusal(request, jeu, decision)
    return collection, None


@ogc_view
def items(request, collection_id):
    html = wants_html(request)
    collection, refused = admitted(request, collection_id, "html" if html else "geojson")
    if refused:
        return refused
    params = dict(request.GET.items())
    items_request = query.parse_items(collection, params)
    features = query.features(collection, items_request)
    matched = query.count(collection, items_request)
    page = documents.page_links(request, collection, items_request, len(features), matched)
    if html:
        columns = [name for name, _ in collection.properties]
        parsed = [json.loads(text) for text in features]
        context = {
            "collection": collection,
            "rows": [(f["id"], [f["properties"].get(name) for name in columns]) for f in parsed],
            "columns": columns,
            "matched": matched,
            "links": {entry["rel"]: entry["href"] for entry in page},
            "first": items_request.offset + 1,
            "last": items_request.offset + len(features),
        }
        response = render(request, "ogc/items.html", context)
    else:
        response = HttpResponse(
            documents.feature_collection(features, matched, page),
            content_type=f"{documents.GEOJSON}; charset=utf-8",
        )
        response["Content-Crs"] = f"<{items_request.crs}>"
    return restricted_headers(response, collection)


@ogc_view
def item(request, collection_id, fid):
    html = wants_html(request)
    collection, refused = admitted(request, collection_id, "html" if html else "geojson")
    if refused:
        return refused
    unknown = set(request.GET) - {"f", "crs"}
    if unknown:
        raise query.BadRequest(
            f"Paramètre inconnu : {', '.join(sorted(unknown))}. Paramètres acceptés : crs, f."
        )
    crs = query.parse_crs(request.GET.get("crs"), "crs")
    text = query.feature(collection, fid, crs)
    if text is None:
        raise NotFound(f"Aucune entité « {fid[:80]} » dans la collection « {collection.id} ».")
    feature = json.loads(text)
    feature["links"] = [
        documents.link(documents.absolute(request, "item", collection.id, fid), "self", documents.GEOJSON),
        documents.link(
            documents.absolute(request, "collection", collection.id), "collection", documents.JSON
        ),
    ]
    if html:
        response = render(request, "ogc/item.html", {"collection": collection, "feature": feature})
    else:
        response = json_response(feature, documents.GEOJSON)
        response["Content-Crs"] = f"<{crs}>"
    return restricted_headers(response, collection)
