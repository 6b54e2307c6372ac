"""The data versions tiles are cached under (observatoire.ogc.versions).

Two functions only: the tables are watched by ``versions.watch`` after each migrate, since the
collections that read them are declared in code by the apps that own them.
"""

from django.db import migrations

FUNCTIONS = """
-- A statement-level trigger on each watched table: the table's sequence moves on every write, by
-- any path (ORM, COPY, raw SQL, TRUNCATE). nextval takes no row lock, so concurrent report filings
-- never wait for each other. The shared advisory lock, held until the writer's transaction ends,
-- tells readers that a version is already counted while its rows are not yet visible.
CREATE OR REPLACE FUNCTION ogc_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(5195587, hashtext(TG_ARGV[0]));
    PERFORM nextval(TG_ARGV[0]::regclass);
    RETURN NULL;
END
$$;

-- The version of a set of tables ("12.7"), or NULL while a writer on one of them has not ended:
-- a tile built now may miss rows its version already counts, so it must not be cached.
-- Sequences are read first, then the locks: a writer counted in a value read holds its lock until
-- it commits, so a free lock means every counted write is visible to the statements that follow.
CREATE OR REPLACE FUNCTION ogc_data_version(sequences text[]) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    name text;
    value bigint;
    parts text[] := '{}';
BEGIN
    FOREACH name IN ARRAY sequences LOOP
        IF to_regclass(name) IS NULL THEN
            RETURN NULL;  -- a table not watched yet (no migrate since it was declared): no cache
        END IF;
        EXECUTE format('SELECT last_value FROM %I', name) INTO value;
        parts := parts || value::text;
    END LOOP;
    FOREACH name IN ARRAY sequences LOOP
        IF pg_try_advisory_lock(5195587, hashtext(name)) THEN
            PERFORM pg_advisory_unlock(5195587, hashtext(name));
        ELSE
            RETURN NULL;
        END IF;
    END LOOP;
    RETURN array_to_string(parts, '.');
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        migrations.RunSQL(
            FUNCTIONS,
            reverse_sql="DROP FUNCTION IF EXISTS ogc_data_version(text[]); DROP FUNCTION IF EXISTS ogc_bump_version();",
        )
    ]
