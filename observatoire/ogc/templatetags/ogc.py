"""The dataset pages' links to what GIS clients read of a dataset: its OGC collections, tiles, ISO record."""

from django import template
from django.urls import reverse

from gouvernance.enums import Sensibilite

from .. import access, iso
from ..registry import all_collections

register = template.Library()


@register.simple_tag
def services_geographiques(jeu, user):
    """``collections`` (title, Features address, TileJSON address or ""), ``fiche_iso`` ("" if none) and
    ``restreint`` (layers opened by a session or a token only).

    Unlisted collections are left out, as the Features listing leaves them out; a collection ``user`` may
    not read is named without its links (a link shown is a link allowed)."""
    served = [c for c in all_collections().values() if c.dataset == jeu.slug]
    collections = [c for c in served if c.listed]
    return {
        "collections": [
            {
                "titre": c.title,
                "url": reverse("ogc:collection", args=[c.id]) if readable else "",
                "tilejson": reverse("ogc:tiles-tilejson", args=[c.id, iso.TILE_MATRIX_SET])
                if c.tiles and readable
                else "",
            }
            for c, readable in ((c, access.may_read(user, c)) for c in collections)
        ],
        "restreint": jeu.sensibilite != Sensibilite.PUBLIC,
        "fiche_iso": reverse("ogc:metadonnees", args=[jeu.slug]) if served or iso.has_record(jeu) else "",
    }
