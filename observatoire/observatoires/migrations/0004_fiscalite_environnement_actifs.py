"""Fiscalité and environnement become active observatories with their rubriques (reference.py)."""

from django.db import migrations

from observatoire.observatoires.reference import sync_observatoires


def sync(apps, schema_editor):
    sync_observatoires(apps)


class Migration(migrations.Migration):
    dependencies = [("observatoires", "0003_rubrique_espace_public")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
