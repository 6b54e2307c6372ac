"""Mutations into PostgreSQL, in the import's transaction, block by block as they are aggregated.

A first load (empty table) is a COPY straight into ``foncier_mutation``; otherwise a COPY into a
temporary table with the same column types, then an UPDATE of the rows whose values changed and an
INSERT of the new ones, on id_mutation (a re-import is idempotent and leaves unchanged rows alone).
The blocks are streamed into one COPY: the number of mutations is known only at its end.

A large load (a département's file) follows PostgreSQL's advice for populating a table: the indexes
and the constraints are dropped, then rebuilt once at the end, in the same transaction (a failure
restores them). Maintained row by row they made the load 5 times slower. The table is locked for the
few seconds of the load; the portal reads indicator values, not it.
"""

import itertools
import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, connection

from observatoire.imports.base import ImportRejected

from .rows import COLUMNS, copy_blocks

TABLE = "foncier_mutation"
COPIED = ", ".join(COLUMNS)
UPDATED = COLUMNS[1:-1]
BULK = 50_000
# Two statements rather than INSERT … ON CONFLICT: its row-by-row speculative insertion took twice
# as long as a hash join on a million rows. Imports are serialised by the table lock taken first.
UPDATE = f"""
UPDATE {TABLE} m SET {", ".join(f"{name} = s.{name}" for name in UPDATED)}, updated_at = now()
FROM dvf_staging s
WHERE m.id_mutation = s.id_mutation
    AND ({", ".join(f"m.{name}" for name in UPDATED)}) IS DISTINCT FROM ({", ".join(f"s.{name}" for name in UPDATED)})
"""  # noqa: S608, E501 - column names are constants
INSERT = f"""
INSERT INTO {TABLE} ({COPIED}) SELECT {COPIED} FROM dvf_staging s
WHERE NOT EXISTS (SELECT 1 FROM {TABLE} m WHERE m.id_mutation = s.id_mutation)
"""  # noqa: S608
NEW = f"""
SELECT count(*) FROM dvf_staging s
WHERE NOT EXISTS (SELECT 1 FROM {TABLE} m WHERE m.id_mutation = s.id_mutation)
"""  # noqa: S608


@dataclass
class Written:
    mutations: int = 0
    inserted: int = 0
    updated: int = 0


class Counted:
    rows = 0


def _copy(cursor, table, blocks, progress, first_id=None, freeze=False):
    """COPY the blocks of mutations into ``table``; the number of mutations sent."""
    cursor.execute("SELECT now()")
    now = cursor.fetchone()[0]
    columns = COPIED if first_id is None else f"id, {COPIED}"
    options = "FORMAT binary, FREEZE" if freeze else "FORMAT binary"
    sent = Counted()
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH ({options})") as copy:
        for block in copy_blocks(blocks, now, first_id, sent):
            copy.write(block)
            progress()
    return sent.rows


def _sequence(cursor):
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
    return cursor.fetchone()[0]


def _first_id(cursor, sequence):
    """The next primary key, the table locked: COPY then numbers the rows itself from it instead of
    calling nextval a million times; ``_ids_used`` moves the sequence past them afterwards."""
    cursor.execute("SELECT nextval(%s)", [sequence])
    return cursor.fetchone()[0]


def _ids_used(cursor, sequence, first, count):
    if count:
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count - 1])


def stage(blocks, progress=lambda: None):
    """The mutations in a temporary table ``dvf_staging``, dropped at the end of the transaction."""
    with connection.cursor() as cursor:
        # A caller's outer transaction (tests, a batch of imports) may still hold the previous one.
        cursor.execute("DROP TABLE IF EXISTS dvf_staging")
        cursor.execute(
            f"CREATE TEMPORARY TABLE dvf_staging ON COMMIT DROP AS SELECT {COPIED} FROM {TABLE} WITH NO DATA"  # noqa: S608
        )
        return _copy(cursor, "dvf_staging", blocks, progress)


def write(blocks, progress=lambda: None):
    """``Written``; to be called inside the import's transaction. ``progress()`` after each block."""
    try:
        return _write(blocks, progress)
    except IntegrityError as error:
        raise _scattered_mutation(error) from error


def _write(blocks, progress):
    # The first two blocks tell a large file (more than a block) from a small one (all of it).
    ahead = list(itertools.islice(blocks, 2))
    large = len(ahead) > 1 or sum(block.num_rows for block in ahead) >= BULK
    blocks = itertools.chain(ahead, blocks)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {TABLE})")  # noqa: S608
        if cursor.fetchone()[0] and large:
            sequence = _sequence(cursor)
            first = _first_id(cursor, sequence)
            with _bulk(cursor):
                # Emptied in this transaction (it was empty: the lock keeps writers out), the table
                # takes its rows already frozen: no reader, index build or vacuum checks their
                # visibility or rewrites their pages to note it afterwards.
                cursor.execute(f"TRUNCATE {TABLE}")
                count = _copy(cursor, TABLE, blocks, progress, first, freeze=True)
            _ids_used(cursor, sequence, first, count)
            return Written(count, count, 0)
    count = stage(blocks, progress)
    inserted, updated = _upsert()
    return Written(count, inserted, updated)


def _scattered_mutation(error):
    """A mutation met twice: its rows do not follow each other in the file (Etalab's always do)."""
    found = re.search(r"\(id_mutation\)=\(([^)]*)\)", str(error))
    which = f" « {found.group(1)} »" if found else ""
    return ImportRejected(
        f"La mutation{which} apparaît en plusieurs endroits du fichier : les lignes d'une même mutation "
        "doivent se suivre, comme dans les fichiers publiés par Etalab (un fichier trié ou concaténé "
        "à la main les sépare). Importez le fichier tel que publié. Rien n'a été importé.",
        [str(error).splitlines()[0]],
    )


def _upsert():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dvf_staging")
        # The UPDATE would silently take one of two rows of a mutation met twice: refused instead.
        cursor.execute("SELECT id_mutation FROM dvf_staging GROUP BY id_mutation HAVING count(*) > 1 LIMIT 1")
        if twice := cursor.fetchone():
            raise IntegrityError(f"Key (id_mutation)=({twice[0]}) is duplicated.")
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
        existing = max(cursor.fetchone()[0], 0)
        cursor.execute(NEW)
        new = cursor.fetchone()[0]
        # Rebuilding the indexes pays off when many rows arrive, not when a re-import changes few.
        with _bulk(cursor) if new >= BULK and new * 4 >= existing else _plain():
            cursor.execute(UPDATE)
            updated = cursor.rowcount
            if not new:  # counted under the lock: the same anti-join again would find nothing
                return 0, updated
            cursor.execute(INSERT)
            return cursor.rowcount, updated


@contextmanager
def _plain():
    yield


@contextmanager
def _bulk(cursor):
    """Indexes, keys and foreign keys dropped for the load, recreated as they were after it."""
    cursor.execute(
        """
        SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s AND NOT EXISTS
            (SELECT 1 FROM pg_constraint c WHERE c.conrelid = %s::regclass AND c.conname = i.indexname)
        """,
        [TABLE, TABLE],
    )
    indexes = cursor.fetchall()
    # The primary and unique keys go too: each rebuilt by one sort costs a fraction of its
    # row-by-row maintenance; the join on id_mutation is a hash join at this size anyway.
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype IN ('p', 'u', 'f') ORDER BY contype DESC",
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
