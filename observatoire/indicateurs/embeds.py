"""Embed views: a commune's figures and an observatory's map, for other sites' <iframe>.

An embed shows what anyone sees on the portal: the visitor's session is ignored, so a
reserved indicator is never embedded, even by someone signed in. The layout is minimal (no
header, no footer but a link back to the portal); framing follows ``core.embed.embeddable``.
"""

import copy

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from observatoire.core.embed import embeddable
from observatoire.core.maps import map_context
from observatoire.observatoires.models import Observatoire

from . import dashboard
from . import portrait as portraits
from .views import _commune


def _as_anyone(request):
    """The same request, seen as an anonymous visitor's (the original one is left untouched)."""
    public = copy.copy(request)
    public.user = AnonymousUser()
    return public


@login_not_required
@embeddable
def portrait_embed(request, insee):
    commune = _commune(insee)
    context = {
        "commune": commune,
        "lignes": portraits.portrait(commune, AnonymousUser()),
        "portal_url": request.build_absolute_uri(reverse("territoires:portrait", args=[insee])),
        **map_context(),
    }
    return render(request, "integrer/portrait.html", context)


@login_not_required
@embeddable
def carte_embed(request, slug):
    """The dashboard's map for the same filters (indicator, year, commune, classes)."""
    observatoire = get_object_or_404(Observatoire, slug=slug)
    state = dashboard.resolve(_as_anyone(request), observatoire)
    asked = request.GET.get("indicateur")
    if state is None or (asked and asked != state.indicateur.code):
        # The dashboard falls back on another indicator; an embed must not show something else.
        raise Http404("Indicateur inconnu ou non public.")
    page = reverse("observatoires:tableau-de-bord", args=[slug])
    context = {
        "state": state,
        "indicateur": state.indicateur,
        "geojson_url": dashboard.geojson_url(state),
        "portal_url": request.build_absolute_uri(f"{page}?{state.query}"),
        **map_context(),
    }
    return render(request, "integrer/carte.html", context)
