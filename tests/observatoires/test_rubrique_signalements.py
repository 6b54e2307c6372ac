"""The reports' map is filed under the public space's rubrique, not « Marchés immobiliers »."""

import importlib

import django.apps

from observatoire.observatoires.demo import load_demo_contenus
from observatoire.observatoires.enums import TypeContenu, Visibilite
from observatoire.observatoires.models import Contenu, Rubrique

migration = importlib.import_module("observatoire.observatoires.migrations.0003_rubrique_espace_public")


def test_demo_files_the_reports_map_under_public_space(client, territoire):
    load_demo_contenus()
    carte = Contenu.objects.get(url="/signalements/carte/")
    assert (carte.rubrique.observatoire.slug, carte.rubrique.slug) == ("environnement", "espace-public")
    assert "Carte publique des signalements" in client.get("/observatoires/environnement/").content.decode()
    assert "Carte publique des signalements" not in client.get("/observatoires/habitat/").content.decode()


def test_migration_moves_a_misfiled_reports_map_and_nothing_else(territoire):
    marches = Rubrique.objects.get(observatoire__slug="habitat", slug="marches-immobiliers")
    carte = Contenu.objects.create(
        rubrique=marches,
        type=TypeContenu.CARTE_DYNAMIQUE,
        titre="Carte publique des signalements",
        visibilite=Visibilite.PUBLIC,
        url="/signalements/carte/",
    )
    prix = Contenu.objects.create(
        rubrique=marches,
        type=TypeContenu.LIEN,
        titre="Prix de l'immobilier",
        visibilite=Visibilite.PUBLIC,
        url="/observatoires/habitat/",
    )
    migration.move_reports(django.apps.apps, None)
    carte.refresh_from_db()
    prix.refresh_from_db()
    assert carte.rubrique.slug == "espace-public"
    assert prix.rubrique == marches
