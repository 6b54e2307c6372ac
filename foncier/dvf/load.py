"""Mutations into PostgreSQL: COPY into a temporary table, then one upsert on id_mutation.

COPY is the fastest way in; the upsert keeps a re-import idempotent, leaves unchanged mutations
alone and lets PostGIS build the points (WGS84 of the file → Lambert-93) in the same statement.

A large load (a département's file) follows PostgreSQL's advice for populating a table: the
secondary indexes and the constraints are dropped, then rebuilt once at the end, in the same
transaction (a failure restores them). Maintained row by row they made the load 5 times slower.
The table is locked for the few seconds of the load; the portal reads indicator values, not it.
"""

import io
from contextlib import contextmanager

import pyarrow as pa
import pyarrow.csv as pacsv
from django.conf import settings
from django.db import connection

COLUMNS = {
    "id_mutation": ("text", pa.string()),
    "date_mutation": ("date", pa.date32()),
    "nature_mutation": ("text", pa.string()),
    "valeur_fonciere": ("numeric", pa.float64()),
    "commune_id": ("integer", pa.int32()),
    "code_commune": ("text", pa.string()),
    "arrondissement_id": ("integer", pa.int32()),
    "type_mutation": ("text", pa.string()),
    "nb_appartements": ("integer", pa.int32()),
    "nb_maisons": ("integer", pa.int32()),
    "nb_dependances": ("integer", pa.int32()),
    "nb_activite": ("integer", pa.int32()),
    "surface_appartements": ("integer", pa.int64()),
    "surface_maisons": ("integer", pa.int64()),
    "surface_activite": ("integer", pa.int64()),
    "pieces_principales": ("integer", pa.int32()),
    "surface_terrain": ("integer", pa.int64()),
    "surface_terrain_a_batir": ("integer", pa.int64()),
    "lignes": ("integer", pa.int32()),
    "parcelles": ("text", pa.string()),
    "longitude": ("double precision", pa.float64()),
    "latitude": ("double precision", pa.float64()),
}
STAGED = ", ".join(COLUMNS)
STAGING = ", ".join(f"{name} {sql}" for name, (sql, _) in COLUMNS.items())
TABLE = "foncier_mutation"
PLAIN = [name for name in COLUMNS if name not in ("parcelles", "longitude", "latitude")]
UPDATED = [*PLAIN[1:], "parcelles", "geom"]
BULK = 50_000
STAGED_ROWS = f"""
    SELECT {", ".join(PLAIN)},
        COALESCE(string_to_array(NULLIF(parcelles, ''), ','), '{{}}')::varchar(14)[] AS parcelles,
        ST_Transform(ST_SetSRID(ST_MakePoint(longitude, latitude), 4326), {settings.STORAGE_SRID}) AS geom
    FROM dvf_staging
"""  # noqa: S608 - column names are constants of this module
# Two statements rather than INSERT … ON CONFLICT: its row-by-row speculative insertion took twice
# as long as a hash join on a million rows. Imports are serialised by the table lock taken first.
UPDATE = f"""
UPDATE {TABLE} m SET {", ".join(f"{name} = s.{name}" for name in UPDATED)}, updated_at = now()
FROM ({STAGED_ROWS}) s
WHERE m.id_mutation = s.id_mutation
    AND ({", ".join(f"m.{name}" for name in UPDATED)})
        IS DISTINCT FROM ({", ".join(f"s.{name}" for name in UPDATED)})
"""  # noqa: S608
INSERT = f"""
INSERT INTO {TABLE} ({", ".join(PLAIN)}, parcelles, geom, updated_at)
SELECT s.*, now() FROM ({STAGED_ROWS}) s
WHERE NOT EXISTS (SELECT 1 FROM {TABLE} m WHERE m.id_mutation = s.id_mutation)
"""  # noqa: S608
EXISTING = f"SELECT count(*) FROM dvf_staging s JOIN {TABLE} m USING (id_mutation)"  # noqa: S608
NEW = f"""
SELECT count(*) FROM dvf_staging s
WHERE NOT EXISTS (SELECT 1 FROM {TABLE} m WHERE m.id_mutation = s.id_mutation)
"""  # noqa: S608


def _csv(mutations):
    table = pa.table(
        {
            name: pa.array(mutations[name].to_numpy(), type=kind, from_pandas=True)
            for name, (_, kind) in COLUMNS.items()
        }
    )
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, batch_size=65536))
    return sink.getbuffer()


def stage(mutations):
    """The mutations in a temporary table ``dvf_staging``, dropped at the end of the transaction."""
    with connection.cursor() as cursor:
        # A caller's outer transaction (tests, a batch of imports) may still hold the previous one.
        cursor.execute("DROP TABLE IF EXISTS dvf_staging")
        cursor.execute(f"CREATE TEMPORARY TABLE dvf_staging ({STAGING}) ON COMMIT DROP")
        with cursor.copy(f"COPY dvf_staging ({STAGED}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(_csv(mutations))


def upsert():
    """(inserted, updated) from the staged mutations; to be called inside the import's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("ANALYZE dvf_staging")
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
        existing = max(cursor.fetchone()[0], 0)
        cursor.execute(NEW)
        new = cursor.fetchone()[0]
        # Rebuilding the indexes pays off when many rows arrive, not when a re-import changes few.
        with _bulk(cursor) if new >= BULK and new * 4 >= existing else _plain():
            cursor.execute(UPDATE)
            updated = cursor.rowcount
            cursor.execute(INSERT)
            return cursor.rowcount, updated


@contextmanager
def _plain():
    yield


@contextmanager
def _bulk(cursor):
    """Secondary indexes and foreign keys dropped for the load, recreated as they were after it."""
    cursor.execute(
        """
        SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s AND NOT EXISTS
            (SELECT 1 FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.conname = i.indexname)
        """,
        [TABLE, TABLE],
    )
    indexes = cursor.fetchall()
    # Unique constraints (id_mutation) go too: rebuilt by one sort, their index costs a third of
    # the row-by-row insertion; the join on id_mutation is a hash join at this size anyway.
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype IN ('u', 'f') ORDER BY contype DESC",
        [TABLE],
    )
    constraints = cursor.fetchall()
    for name, _ in reversed(constraints):
        cursor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _, definition in indexes:
        cursor.execute(definition)
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')


def count_existing():
    with connection.cursor() as cursor:
        cursor.execute(EXISTING)
        return cursor.fetchone()[0]
