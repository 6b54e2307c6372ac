"""Demo: GASPAR, ATMO/emissions and INPN files written in their producers' layouts for the real communes,
loaded through the importers as a user with the real files would; then the indicators and the
observatory's contents (dashboard, maps) in its rubriques.

Each source's writer lives with its importer (``demo_gaspar``, ``demo_atmo``, ``demo_espaces``); a
writer not there yet is skipped, so that the rest still loads.
"""

import importlib

from django.conf import settings

from observatoire.imports.base import get_importer
from observatoire.observatoires.enums import TypeContenu, Visibilite
from observatoire.observatoires.models import Contenu, Rubrique

from .indicateurs import recompute

WRITERS = ("demo_gaspar", "demo_atmo", "demo_espaces")
CONTENUS = [
    ("risques", TypeContenu.TABLEAU_DE_BORD, "Environnement : tableau de bord pour les élus", "/environnement/tableau-de-bord/"),
    ("risques", TypeContenu.CARTE_DYNAMIQUE, "Carte des risques naturels (arrêtés CatNat, PPRN)", "/environnement/carte-risques/"),
    ("qualite-air", TypeContenu.TABLEAU_DE_BORD, "Qualité de l'air : jours dégradés par année", "/environnement/tableau-de-bord/#air-titre"),
    ("espaces-naturels", TypeContenu.CARTE_DYNAMIQUE, "Carte des espaces naturels protégés et inventoriés", "/environnement/carte-espaces-naturels/"),
    ("sobriete-fonciere", TypeContenu.TABLEAU_DE_BORD, "Consommation d'espaces naturels, agricoles et forestiers", "/environnement/tableau-de-bord/#conso-titre"),
]  # fmt: skip


def load_demo_contenus_environnement():
    """Idempotent: contents keyed by their title; returns how many were created."""
    created = 0
    for rubrique, type_, titre, url in CONTENUS:
        rubrique = Rubrique.objects.get(observatoire__slug="environnement", slug=rubrique)
        _, new = Contenu.objects.get_or_create(
            titre=titre,
            defaults={"rubrique": rubrique, "type": type_, "visibilite": Visibilite.PUBLIC, "url": url},
        )
        created += new
    return created


def load_demo_environnement(folder=None):
    """Idempotent (the importers upsert): {file name: rows imported}; then indicators and contents."""
    folder = folder or settings.BASE_DIR / "var" / "demo" / "environnement"
    folder.mkdir(parents=True, exist_ok=True)
    imported = {}
    for name in WRITERS:
        try:
            writer = importlib.import_module(f"environnement.{name}")
        except ImportError:
            continue
        for kind, path in writer.write_demo_files(folder):
            try:
                importer = get_importer(kind)
            except KeyError:
                continue  # its importer is not registered yet
            summary = importer.execute(path)
            imported[path.name] = summary.changed
    recompute()
    load_demo_contenus_environnement()
    return imported
