"""Demo assets: Marseille's and Aix's street lights and bins, loaded through the importer from
files in their producers' layouts (``fixtures/actifs/demo_*``), as a GIS service would load them."""

from pathlib import Path

from django.conf import settings

from .importer import ActifsImporter

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "actifs"
DEMO_FILES = [
    ("eclairage", FIXTURES / "demo_eclairage_points_lumineux.geojson"),
    ("proprete", FIXTURES / "demo_proprete_corbeilles.csv"),
]


def load_demo_actifs():
    """Idempotent: a second run updates the same assets. Returns the number of assets read."""
    return sum(ActifsImporter(code).execute(path).read for code, path in DEMO_FILES)
