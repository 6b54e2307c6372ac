"""A data version per table, moved by PostgreSQL itself on every write, so cached tiles follow the data.

Importers write with COPY and raw SQL, the reports app through the ORM, the grid rebuild with
DELETE + INSERT: only a trigger sees them all. Each watched table gets a sequence and a
statement-level trigger (migration 0001 explains the locking); a tile's cache key and ETag hold
the versions of the tables its query reads. The tables are those named after FROM/JOIN in the
collection's SQL, plus those its ``TileSettings`` declares; they are watched after each migrate.
"""

import hashlib
import re

from django.db import connection

SEQUENCE_PREFIX = "ogc_v_"
TRIGGER = "ogc_version"
MAX_IDENTIFIER = 63
TABLE_AFTER_FROM = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)\b", re.IGNORECASE)

_existing_tables = None


def sequence_name(table):
    name = f"{SEQUENCE_PREFIX}{table}"
    if len(name) > MAX_IDENTIFIER:
        name = f"{SEQUENCE_PREFIX}{hashlib.sha1(table.encode()).hexdigest()}"  # noqa: S324 - a name, not security
    return name


def named_tables(*sql_fragments):
    """Identifiers after FROM or JOIN in SQL written in code (functions and CTEs are dropped later)."""
    names = []
    for fragment in sql_fragments:
        for name in TABLE_AFTER_FROM.findall(fragment or ""):
            if name.lower() not in names:
                names.append(name.lower())
    return names


def existing_tables():
    global _existing_tables
    if _existing_tables is None:
        with connection.cursor() as cursor:
            _existing_tables = set(connection.introspection.table_names(cursor))
    return _existing_tables


def forget_tables():
    global _existing_tables
    _existing_tables = None


def collection_tables(collection, presummed=None):
    """The tables whose writes change a tile: the collection's SQL, or the pre-aggregated source."""
    if presummed is not None:
        candidates = [*presummed.tables, *named_tables(presummed.sql)]
    else:
        fragments = [
            f"FROM {collection.from_sql}",
            collection.where,
            collection.geometry,
            collection.output_geometry,
        ]
        fragments += [sql for _, sql in collection.properties]
        if collection.tiles.aggregation:
            fragments += [sql for _, sql in collection.tiles.aggregation.properties]
        candidates = [*collection.tiles.tables, *named_tables(*fragments)]
    tables = existing_tables()
    return tuple(sorted({name for name in candidates if name in tables}))


def watch(table):
    """Give ``table`` its sequence and trigger (idempotent)."""
    sequence = sequence_name(table)
    quoted_table = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {connection.ops.quote_name(sequence)}")
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {quoted_table} FOR EACH STATEMENT EXECUTE FUNCTION ogc_bump_version('{sequence}')"
        )


def watch_collections(collections):
    """Watch every table a tiled collection reads, at every zoom. Returns the tables."""
    forget_tables()
    watched = set()
    for collection in collections:
        settings = collection.tiles
        if settings is None:
            continue
        watched.update(collection_tables(collection))
        presummed = settings.aggregation.presummed if settings.aggregation else None
        if presummed is not None:
            for zoom in range(settings.min_zoom, settings.max_zoom + 1):
                source = presummed(zoom)
                if source is not None:
                    watched.update(collection_tables(collection, source))
    for table in sorted(watched):
        watch(table)
    return sorted(watched)


def data_version(tables):
    """ "12.7" for the tables' current state, or None when it cannot be trusted for caching."""
    if not tables:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT ogc_data_version(%s)", [[sequence_name(table) for table in tables]])
        return cursor.fetchone()[0]
