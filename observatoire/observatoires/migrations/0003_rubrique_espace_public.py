"""The reports' map and dashboard leave « Marchés immobiliers » for « Espace public et cadre de vie ».

The demo filed them under the housing market rubrique; this adds the environment observatory's
rubrique (reference.py) and moves the contents that link to the reports' pages.
"""

from django.db import migrations

from observatoire.observatoires.reference import sync_observatoires


def move_reports(apps, schema_editor):
    sync_observatoires(apps)
    Rubrique = apps.get_model("observatoires", "Rubrique")
    Contenu = apps.get_model("observatoires", "Contenu")
    espace_public = Rubrique.objects.get(observatoire__slug="environnement", slug="espace-public")
    Contenu.objects.filter(
        rubrique__observatoire__slug="habitat",
        rubrique__slug="marches-immobiliers",
        url__startswith="/signalements/",
    ).update(rubrique=espace_public)


class Migration(migrations.Migration):
    dependencies = [("observatoires", "0002_observatoires_metropole")]

    operations = [migrations.RunPython(move_reports, migrations.RunPython.noop)]
