from django.db import migrations

from observatoire.accounts.roles import sync_role_groups


def update_role_groups(apps, schema_editor):
    sync_role_groups(apps)


class Migration(migrations.Migration):
    """The « chargé d'études » role and the capability to manage observatories and imports."""

    dependencies = [("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(update_role_groups, migrations.RunPython.noop)]
