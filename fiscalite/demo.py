"""Demo: REI, OFGL and DGCL files written in their producers' layouts for the real communes, loaded
through the importers as a user with the real files would, then the indicators and the observatory's
contents (the élus' dashboard, the generic one, a choropleth of the TFB rate)."""

import importlib

from django.conf import settings
from django.urls import reverse

from observatoire.imports.base import get_importer
from observatoire.indicateurs.models import Valeur
from observatoire.observatoires.enums import TypeContenu, Visibilite
from observatoire.observatoires.models import Contenu, Rubrique

from .indicateurs import recompute
from .models import AgregatComptable, CriteresDotation, ElementImposition

# (demo writer module, the table its files fill): a source already loaded is not loaded again.
WRITERS = [
    ("fiscalite.demo_rei", ElementImposition),
    ("fiscalite.demo_ofgl", AgregatComptable),
    ("fiscalite.demo_dgcl", CriteresDotation),
]


def _contenus():
    specs = [
        ("taux-et-bases", TypeContenu.TABLEAU_DE_BORD, "Fiscalité locale : tableau de bord des élus",
         reverse("fiscalite:tableau-de-bord"),
         "Taux votés et produit fiscal par habitant des 92 communes, comparés entre elles et dans le temps."),
        ("finances-communales", TypeContenu.TABLEAU_DE_BORD, "Indicateurs de la fiscalité et des finances communales",
         reverse("observatoires:tableau-de-bord", args=["fiscalite"]),
         "Tous les indicateurs de l'observatoire : taux, finances communales, dotations, par commune et année."),
        ("taux-et-bases", TypeContenu.CARTE_DYNAMIQUE,
         "Carte du taux de taxe foncière sur les propriétés bâties par commune",
         reverse("observatoires:carte-indicateur", args=["taux-tfb-commune"]),
         "Taux de TFB voté par chaque commune, en classes, avec son tableau."),
    ]  # fmt: skip
    created = 0
    for ordre, (rubrique, type_, titre, url, description) in enumerate(specs):
        _, was_created = Contenu.objects.get_or_create(
            titre=titre,
            defaults={
                "rubrique": Rubrique.objects.get(observatoire__slug="fiscalite", slug=rubrique),
                "type": type_,
                "url": url,
                "description": description,
                "visibilite": Visibilite.PUBLIC,
                "ordre": ordre,
            },
        )
        created += was_created
    return created


def load_demo_fiscalite(writers=WRITERS):
    """Idempotent: {kind: rows imported} of the sources imported this time (none on a second run).

    A writer module not written yet (another part of the work) is skipped.
    """
    folder = settings.BASE_DIR / "var" / "demo" / "fiscalite"
    imported = {}
    for module_name, model in writers:
        if model.objects.exists():
            continue
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for kind, path in module.write_demo_files(folder):
            summary = get_importer(kind).execute(path)
            imported[kind] = imported.get(kind, 0) + summary.changed
    if imported or not Valeur.objects.filter(indicateur__observatoire__slug="fiscalite").exists():
        recompute()
    _contenus()
    return imported
