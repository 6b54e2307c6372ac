"""The SQL of a vector tile: PostGIS's ST_AsMVT, one query per tile, cached under the data's version.

The rows are found by a bbox test on the STORED geometry (Lambert-93, GiST index) against the tile
envelope transformed to Lambert-93 and widened by the tile buffer; they leave through
``ST_AsMVTGeom(ST_Transform(published geometry, 3857), ST_TileEnvelope(z, x, y), 4096, 64)``. The
layer is named after the collection. Below a collection's ``detail_zoom`` the layer holds grid
clusters instead (``tilesets.Aggregation``): cells aligned on the tile, so a cluster belongs to one
tile only, each at the mean position of its (published) points.

A tile is cached in Redis under the collection, the tile, a digest of its SQL (a code change is a
new key) and the versions of the tables it reads (``versions``); its ETag comes from the same key.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from . import versions
from .tilesets import BUFFER, EXTENT, pixel_metres, tile_metres

TILE_CACHE_SECONDS = 24 * 3600  # a new version is a new key; old ones only wait to expire
# signalements.positions moves a published point by at most ~8 m: rows are searched that much
# wider, so a point moved across a tile edge is still found by the tile it lands in.
PUBLISHED_SHIFT_METRES = 20
MISSING = object()

# PostgreSQL type names → how they enter a tile, and their TileJSON field type. MVT values are
# strings, numbers or booleans; ST_AsMVT would write a numeric as a string, a date as text anyway.
NUMBER_TYPES = {"int2", "int4", "int8", "float4", "float8", "numeric"}
INTEGER_TYPES = {"int2", "int4", "int8"}

_types = {}


@dataclass(frozen=True)
class TileQuery:
    sql: str
    params: dict
    tables: tuple

    @property
    def digest(self):
        return hashlib.sha1(self.sql.encode()).hexdigest()[:12]  # noqa: S324 - a cache key, not security


def property_names(collection):
    chosen = collection.tiles.properties
    names = [name for name, _ in collection.properties]
    if chosen is None:
        return names
    unknown = [name for name in chosen if name not in names]
    if unknown:
        raise ValueError(f"{collection.id} : propriétés de tuile inconnues {unknown}")
    return list(chosen)


def column_types(collection):
    """{property: PostgreSQL type name} plus the id's under "__id__", read once from the database."""
    key = (collection.id, collection.from_sql, collection.fid, tuple(collection.properties))
    if key not in _types:
        properties = ", ".join(f'{sql} AS "{name}"' for name, sql in collection.properties)
        sql = f'SELECT {collection.fid} AS "__id__", {properties} FROM {collection.from_sql} LIMIT 0'  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql)
            columns = [(column.name, column.type_code) for column in cursor.description]
            cursor.execute(
                "SELECT oid, typname FROM pg_type WHERE oid = ANY(%s)", [[oid for _, oid in columns]]
            )
            names = dict(cursor.fetchall())
        _types[key] = {name: names.get(oid, "text") for name, oid in columns}
    return _types[key]


def _tile_value(sql, type_name):
    if type_name in INTEGER_TYPES or type_name in {"bool", "text", "varchar"}:
        return f"({sql})"
    if type_name in NUMBER_TYPES:
        return f"({sql})::float8"
    return f"({sql})::text"


def field_type(type_name):
    if type_name in NUMBER_TYPES:
        return "Number"
    if type_name == "bool":
        return "Boolean"
    return "String"


def fields(collection):
    """TileJSON ``fields`` of the layer, for features and for clusters (both may be in a tileset)."""
    types = column_types(collection)
    result = {name: field_type(types[name]) for name in property_names(collection)}
    if types["__id__"] not in INTEGER_TYPES and "id" not in result:
        result["id"] = "String"
    if collection.tiles.aggregation is not None:
        result["count"] = "Number"
        for name, _ in collection.tiles.aggregation.properties:
            result[name] = "Number"
    return result


ENVELOPE = """
WITH env AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile,
           ST_Expand(
               ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => %(margin)s), %(srid)s),
               %(shift)s
           ) AS box
)
"""


def _base_params(collection, z, x, y):
    return {
        "z": z,
        "x": x,
        "y": y,
        "margin": BUFFER / EXTENT,
        "srid": settings.STORAGE_SRID,
        "shift": PUBLISHED_SHIFT_METRES if collection.output_geometry else 0,
        "layer": collection.id,
    }


def _where(collection):
    fixed = f" AND ({collection.where})" if collection.where else ""
    return f"{collection.geometry} && env.box{fixed}"


def tile_query(collection, z, x, y):
    tiles = collection.tiles
    params = _base_params(collection, z, x, y)
    if not tiles.aggregated(z):
        return _features_query(collection, z, params)
    presummed = tiles.aggregation.presummed(z) if tiles.aggregation.presummed else None
    if presummed is not None:
        return _presummed_query(collection, presummed, params)
    return _clusters_query(collection, z, params)


def _features_query(collection, z, params):
    types = column_types(collection)
    expressions = dict(collection.properties)
    # Only the tile's properties are computed: a join none of them reads (a LEFT JOIN on a key)
    # is then dropped by the planner.
    names = property_names(collection)
    columns = [f"{_tile_value(expressions[name], types[name])} AS {_quoted(name)}" for name in names]
    feature_id = "NULL"
    if types["__id__"] in INTEGER_TYPES:
        columns.insert(0, f"{collection.fid} AS __id__")
        feature_id = "'__id__'"
    elif "id" not in property_names(collection):
        columns.insert(0, f"({collection.fid})::text AS id")
    geometry = f"ST_Transform({collection.published_geometry}, 3857)"
    tolerance = collection.tiles.tolerance_pixels(z)
    if tolerance and collection.geometry_type not in ("Point", "MultiPoint"):
        geometry = f"ST_Simplify({geometry}, %(tolerance)s)"
        params["tolerance"] = tolerance * pixel_metres(z)
    sql = (
        f"{ENVELOPE}SELECT ST_AsMVT(t.*, %(layer)s, {EXTENT}, 'geom', {feature_id}) FROM ("  # noqa: S608 - code only
        f"SELECT {', '.join(columns)}, ST_AsMVTGeom({geometry}, env.tile, {EXTENT}, {BUFFER}, true) AS geom "
        f"FROM {collection.from_sql} CROSS JOIN env WHERE {_where(collection)}"
        ") t WHERE t.geom IS NOT NULL"
    )
    return TileQuery(sql, params, versions.collection_tables(collection))


def _quoted(name):
    return '"' + name.replace('"', '""') + '"'


def _clusters_query(collection, z, params):
    aggregation = collection.tiles.aggregation
    point = f"ST_Transform({collection.published_geometry}, 3857)"
    if collection.geometry_type != "Point":
        point = f"ST_PointOnSurface({point})"
    params["cell"] = tile_metres(z) / aggregation.cells_per_side
    aggregates = "".join(f", ({sql})::float8 AS {_quoted(name)}" for name, sql in aggregation.properties)
    sql = (
        f"{ENVELOPE}SELECT ST_AsMVT(t.*, %(layer)s, {EXTENT}, 'geom') FROM ("  # noqa: S608 - code only
        "SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(avg(ST_X(q.g)), avg(ST_Y(q.g))), 3857), "
        f"env.tile, {EXTENT}, {BUFFER}, true) AS geom, count(*)::int AS count{aggregates} "
        f"FROM {collection.from_sql} CROSS JOIN env CROSS JOIN LATERAL (SELECT {point} AS g) q "
        f"WHERE {_where(collection)} AND q.g && env.tile "
        "GROUP BY env.tile, floor((ST_X(q.g) - ST_XMin(env.tile)) / %(cell)s), "
        "floor((ST_Y(q.g) - ST_YMin(env.tile)) / %(cell)s)"
        ") t WHERE t.geom IS NOT NULL"
    )
    return TileQuery(sql, params, versions.collection_tables(collection))


def _presummed_query(collection, presummed, params):
    params.update(presummed.params)
    names = ["count", *(name for name, _ in collection.tiles.aggregation.properties)]
    columns = "".join(f", s.{_quoted(name)}" for name in names)
    sql = (
        f"{ENVELOPE}SELECT ST_AsMVT(t.*, %(layer)s, {EXTENT}, 'geom') FROM ("  # noqa: S608 - code only
        f"SELECT ST_AsMVTGeom(ST_Transform(s.geom, 3857), env.tile, {EXTENT}, {BUFFER}, true) AS geom"
        f"{columns} "
        f"FROM env CROSS JOIN LATERAL ({presummed.sql}) s WHERE ST_Transform(s.geom, 3857) && env.tile"
        ") t WHERE t.geom IS NOT NULL"
    )
    return TileQuery(sql, params, versions.collection_tables(collection, presummed))


def run(query):
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def cache_key(collection, query, z, x, y):
    """The tile's cache key, or None when the data's version cannot be trusted (reads versions only)."""
    version = versions.data_version(query.tables)
    if version is None:
        return None
    return f"ogc:tile:{collection.id}:{query.digest}:{version}:{z}/{x}/{y}"


def etag(key):
    """A strong ETag: the key names the exact bytes (same SQL, same data, same tile)."""
    return '"' + hashlib.sha1(key.encode()).hexdigest() + '"'  # noqa: S324 - an ETag, not security


def content(query, key):
    """The tile's bytes, from the cache when ``key`` is there (None: built, never cached)."""
    if key is None:
        return run(query)
    cached = cache.get(key, MISSING)
    if cached is MISSING:
        cached = run(query)
        cache.set(key, cached, TILE_CACHE_SECONDS)
    return cached
