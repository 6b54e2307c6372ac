"""The CSW endpoint (``/ogc/csw``) and one ISO record per dataset at a stable address (ADR 13).

Both are public: harvesters come without a session. What a caller sees follows the meta-catalogue
(``iso`` says why): an agent's token or session adds the restricted records, so those answers are
private to the caller and never indexed.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import csw, iso, links
from .access import TokenRefused, authenticate

XML = "application/xml; charset=utf-8"


def _xml_response(request, body, status=200):
    response = HttpResponse(body, content_type=XML, status=status)
    response["Vary"] = "Authorization, Cookie"
    if request.user.is_authenticated:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _answer(request, parsed):
    if parsed.operation == "GetCapabilities":
        csw.negotiate_version(parsed.accept_versions)
        return csw.capabilities(request.build_absolute_uri(request.path))
    if parsed.operation == "DescribeRecord":
        return csw.describe_record(parsed)
    if parsed.operation == "GetRecordById":
        found = [iso.fiche_for(request.user, identifier=i) for i in dict.fromkeys(parsed.ids)]
        return csw.get_record_by_id([f for f in found if f is not None], parsed)
    fiches = iso.fiches(request.user)
    if parsed.operation == "GetDomain":
        return csw.get_domain(fiches, parsed)
    return csw.get_records(fiches, parsed)


@login_not_required
@csrf_exempt  # harvesters POST XML without a session; every operation only reads
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    try:
        authenticate(request)
    except TokenRefused as refused:
        error = csw.CswError("NoApplicableCode", refused.message, "Authorization", status=401)
        return _xml_response(request, csw.exception_report(error), error.status)
    try:
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            parsed = csw.from_kvp(request.POST)  # KVP posted as a form, as some clients do
        elif request.method == "POST":
            parsed = csw.from_xml(request.body)
        elif not request.GET:  # the bare address, as typed in a browser or a client's dialog
            parsed = csw.from_kvp({"service": "CSW", "request": "GetCapabilities"})
        else:
            parsed = csw.from_kvp(request.GET)
        return _xml_response(request, _answer(request, parsed))
    except csw.CswError as error:
        return _xml_response(request, csw.exception_report(error), error.status)


@login_not_required
@require_http_methods(["GET", "HEAD"])
def record(request, slug):
    try:
        authenticate(request)
    except TokenRefused:
        raise Http404 from None
    fiche = iso.fiche_for(request.user, slug=slug)
    if fiche is None:
        raise Http404("Aucune fiche de métadonnées pour ce jeu.")
    response = _xml_response(request, iso.iso_document(fiche))
    response["Content-Disposition"] = f'inline; filename="{slug}.xml"'
    return response


def _landing_links(request):
    url = request.build_absolute_uri(reverse("ogc:csw"))
    title = "Catalogue CSW 2.0.2 des métadonnées ISO 19139 (INSPIRE)"
    return [links.link(f"{url}?service=CSW&request=GetCapabilities", "search", "application/xml", title)]


def _collection_links(request, collection):
    if not collection.listed:
        return []
    return [
        links.link(
            request.build_absolute_uri(reverse("ogc:metadonnees", args=[collection.dataset])),
            "describedby",
            "application/vnd.iso.19139+xml",
            "Fiche de métadonnées ISO 19139 du jeu de données",
        )
    ]


links.LANDING_LINKS.append(_landing_links)
links.COLLECTION_LINKS.append(_collection_links)
