from django.db import migrations

from observatoire.observatoires.reference import sync_observatoires


def create(apps, schema_editor):
    sync_observatoires(apps)


class Migration(migrations.Migration):
    dependencies = [("observatoires", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
