import io

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def test_models_and_migrations_agree():
    # makemigrations --check exits non-zero (SystemExit) when a model change has no migration.
    output = io.StringIO()
    call_command("makemigrations", check=True, dry_run=True, stdout=output)
    assert output.getvalue().strip() == "No changes detected"


def test_every_migration_is_applied_to_the_test_database():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
