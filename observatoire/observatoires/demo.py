"""Demo contents: a real public dataset built from the territory, and a partners-only one."""

import csv
import io

from django.core.files.base import ContentFile

from observatoire.territoires.models import Commune

from .enums import TypeContenu, Visibilite
from .models import Contenu, Rubrique


def _communes_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["code_insee", "commune", "population_municipale"])
    for commune in Commune.objects.filter(epci__isnull=False).order_by("insee"):
        writer.writerow([commune.insee, commune.nom, commune.population])
    return ContentFile(buffer.getvalue().encode("utf-8"), name="population-communes.csv")


def load_demo_contenus():
    """Idempotent: contents are keyed by their title."""
    cadrage = Rubrique.objects.get(observatoire__slug="habitat", slug="cadrage")
    # Reports of problems in public space: the public space's rubrique, not a housing market's.
    espace_public = Rubrique.objects.get(observatoire__slug="environnement", slug="espace-public")
    specs = [
        (cadrage, TypeContenu.DONNEE, "Population municipale des communes", Visibilite.PUBLIC, None),
        (cadrage, TypeContenu.DONNEE, "Population des communes (fichier de travail partenaires)", Visibilite.PARTENAIRES, None),
        (cadrage, TypeContenu.LIEN, "Observatoire des territoires (ANCT)", Visibilite.PUBLIC, "https://www.observatoire-des-territoires.gouv.fr/"),
        (espace_public, TypeContenu.TABLEAU_DE_BORD, "Signalements dans l'espace public : tableau de bord", Visibilite.AGENTS_ELUS, "/signalements/tableau-de-bord/"),
        (espace_public, TypeContenu.CARTE_DYNAMIQUE, "Carte publique des signalements", Visibilite.PUBLIC, "/signalements/carte/"),
    ]  # fmt: skip
    for rubrique, type_, titre, visibilite, url in specs:
        contenu, created = Contenu.objects.get_or_create(
            titre=titre,
            defaults={"rubrique": rubrique, "type": type_, "visibilite": visibilite, "url": url or ""},
        )
        if created and type_ == TypeContenu.DONNEE:
            contenu.fichier.save("population-communes.csv", _communes_csv())
