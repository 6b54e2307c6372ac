from django.db import migrations

from gouvernance.models.algorithmes import sync_portal_algorithms
from gouvernance.models.registre import preregister


def forwards(apps, schema_editor):
    preregister(apps)
    sync_portal_algorithms(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("gouvernance", "0004_documents_roles_partenaires_comite_registre_algorithmes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
