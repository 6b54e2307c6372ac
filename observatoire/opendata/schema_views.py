"""The Table Schema of a dataset at a stable address, and its data dictionary for the dataset page."""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from gouvernance.models import JeuDeDonnees

from . import schemas
from .services import published_schema


@login_not_required
def schema(request, slug, version=None):
    """``/opendata/<slug>/schema.json``: the schema of the latest version (what ``dct:conformsTo``
    names); ``/opendata/<slug>/v<N>/schema.json``: the one published with version N."""
    jeu = get_object_or_404(JeuDeDonnees.objects.publishable(), slug=slug)
    publication = get_object_or_404(jeu.publications, version=version) if version else jeu.latest
    content = published_schema(jeu, publication.version) if publication else None
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # validators (Validata…) fetch it from the browser
    return response


def data_dictionary(jeu, publication):
    """What the dataset page shows of the schema published with ``publication`` (None before the
    first schema was published)."""
    content = published_schema(jeu, publication.version) if publication else None
    if content is None:
        return None
    schema = json.loads(content)
    national = {"title": "", "path": "", "suivi": False, "precision": ""} | schema.get("schemaNational", {})
    return {
        "champs": schemas.dictionary_rows(schema),
        "cle": schema.get("primaryKey", []),
        "national": national,
        "url": reverse("opendata:schema", kwargs={"slug": jeu.slug}),
    }
