"""Demo: every declared dataset in the catalogue, and a first version of the public ones online."""

from gouvernance.models import JeuDeDonnees

from .services import publish
from .sources import sync_catalogue


def load_demo_opendata():
    """Idempotent: datasets already published are left to the nightly task (no new version if unchanged)."""
    sync_catalogue()
    published = []
    pending = (
        JeuDeDonnees.objects.publishable().exclude(source_technique="").filter(publications__isnull=True)
    )
    for jeu in pending:
        entry = publish(jeu)
        published.append(f"{jeu.slug} ({entry.publication.lignes} lignes)")
    return published
