"""What the database holds, table by table, to check that a dry run or a refused file left it as it was."""

from django.db import connection

# Written by every request or task whatever the import does (sessions, counters, journals).
IGNORED = {"spatial_ref_sys", "django_session", "axes_accessattempt", "axes_accesslog", "imports_importjob"}


def database_snapshot():
    """{table: (row count, digest of the rows)} for every table of the public schema."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [name for (name,) in cursor.fetchall() if name not in IGNORED]
        snapshot = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) FROM \"{table}\" t"  # noqa: S608, E501
            )
            snapshot[table] = cursor.fetchone()
    return snapshot


def changed_tables(before, after):
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
