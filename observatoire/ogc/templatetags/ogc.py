"""The dataset pages' links to what GIS clients read of a dataset: its OGC collections, tiles, ISO record."""

from django import template
from django.urls import reverse

from gouvernance.enums import Sensibilite

from .. import iso
from ..registry import all_collections

register = template.Library()


@register.simple_tag
def services_geographiques(jeu):
    """``collections`` (title, Features address, TileJSON address or ""), ``fiche_iso`` ("" if none) and
    ``restreint`` (layers opened by a session or a token only).

    Unlisted collections are left out, as the Features listing leaves them out."""
    served = [c for c in all_collections().values() if c.dataset == jeu.slug]
    collections = [c for c in served if c.listed]
    return {
        "collections": [
            {
                "titre": c.title,
                "url": reverse("ogc:collection", args=[c.id]),
                "tilejson": reverse("ogc:tiles-tilejson", args=[c.id, iso.TILE_MATRIX_SET])
                if c.tiles
                else "",
            }
            for c in collections
        ],
        "restreint": jeu.sensibilite != Sensibilite.PUBLIC,
        "fiche_iso": reverse("ogc:metadonnees", args=[jeu.slug]) if served or iso.has_record(jeu) else "",
    }
