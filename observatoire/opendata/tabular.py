"""The rows of a published version, filtered, sorted and paged: the engine of the tabular API.

It reads the published file, not the live tables: the version's GeoParquet (typed columns, raw text
where the CSV neutralises formulas) is turned once into an Arrow IPC file in a local cache, named by
the Parquet's SHA-256 (a version never changes, so the cache never goes stale). Each process then
maps that file into memory: the pages are shared by every worker through the OS page cache, a
request costs no parsing, and a filter over a million rows is a vectorised scan of one column
(Arrow compute), text columns being dictionary-encoded so a filter on them looks at each distinct
value once. Measured in ``benchmarks/tabulaire.py`` (ADR « API tabulaire »).

Columns and types follow the dataset's Table Schema when one was published with the version (the
CSV's fields, geometry as longitude/latitude for points and WKT for other shapes); for versions
published before schemas existed they are read from the Parquet file itself (``columns_from_file``).
"""

import datetime
import fcntl
import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
import shapely
from django.conf import settings

from . import downloads, services
from .models import Publication, Ressource

ROW_ID = "__id"
GEOMETRY_COLUMNS = ("geometry", "geom")
# Text columns with at most this share of distinct values are dictionary-encoded in the cache.
DICTIONARY_RATIO = 0.5
OPEN_TABLES = 16  # versions kept open (memory-mapped) per process
MAX_ROWS = 2**31 - 1  # "all the rows" for an export; beyond any published file

OPERATORS = {
    "exact": "égal à",
    "differs": "différent de",
    "in": "parmi (valeurs séparées par des virgules)",
    "notin": "hors de (valeurs séparées par des virgules)",
    "contains": "contient (texte, sans tenir compte de la casse)",
    "notcontains": "ne contient pas (texte)",
    "less": "inférieur ou égal à",
    "greater": "supérieur ou égal à",
    "strictly_less": "strictement inférieur à",
    "strictly_greater": "strictement supérieur à",
    "isnull": "vide (sans valeur)",
    "isnotnull": "renseigné",
    "sort": "tri : asc ou desc",
}
TEXT_ONLY = {"contains", "notcontains"}
NO_VALUE = {"isnull", "isnotnull"}


class BadQuery(Exception):
    """A filter, sort or column the version cannot answer; ``errors`` maps parameter → French message."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date, datetime
    description: str = ""


# --- The cache: one Arrow IPC file per published Parquet ----------------------------------------

_open = {}
_lock = threading.Lock()


def cache_dir():
    return os.fspath(settings.OPENDATA_TABULAR_CACHE)


@dataclass(frozen=True)
class Version:
    """A published version ready to be queried: its rows, its Table Schema (or None), its columns."""

    table: pa.Table
    schema: dict | None
    columns: list


def open_version(parquet):
    """The version whose published Parquet is ``parquet`` (a Ressource), kept open in this process."""
    key = parquet.sha256
    version = _open.get(key)
    if version is not None:
        return version
    schema = published_schema(parquet.publication)
    table = table_for(parquet, schema)
    version = Version(table, schema, columns_of(table, schema))
    with _lock:
        if len(_open) >= OPEN_TABLES:
            _open.pop(next(iter(_open)))
        _open[key] = version
    return version


def table_for(ressource, schema=None):
    """The rows of a published Parquet ``ressource`` as an Arrow table, built into the cache if needed."""
    path = os.path.join(cache_dir(), f"{ressource.sha256}.arrow")
    if not os.path.exists(path):
        os.makedirs(cache_dir(), exist_ok=True)
        with open(f"{path}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker building this version: wait for its file
            if not os.path.exists(path):
                _build(ressource, schema, path)
    return ipc.open_file(pa.memory_map(path, "r")).read_all()


def prune_cache(keep_seconds=24 * 3600):
    """Remove the cached files no current version needs: each dataset's latest Parquet stays; older
    versions' files (rebuilt on demand if asked again), locks and pieces of a build that died go once
    they are a day old. Returns the names removed."""
    folder = cache_dir()
    if not os.path.isdir(folder):
        return []
    latest = {p.pk for p in Publication.objects.order_by("jeu_id", "-version").distinct("jeu_id")}
    current = set(
        Ressource.objects.filter(publication__in=latest, format="parquet").values_list("sha256", flat=True)
    )
    removed, limit = [], time.time() - keep_seconds
    for name in os.listdir(folder):
        if name.split(".", 1)[0] in current and name.endswith(".arrow"):
            continue
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.path.getmtime(path) < limit:
            os.remove(path)
            removed.append(name)
    return removed


def _build(ressource, schema, path):
    """Copy the Parquet from the media storage (checking its SHA-256), convert it, rename atomically."""
    partial = f"{path}.{os.getpid()}.{threading.get_ident()}"
    digest = hashlib.sha256()
    try:
        with open(f"{partial}.parquet", "wb") as handle:
            for block in downloads.stream(ressource.fichier, 0, ressource.taille - 1):
                digest.update(block)
                handle.write(block)
        if digest.hexdigest() != ressource.sha256:
            raise OSError(f"{ressource.fichier} : empreinte SHA-256 différente de celle publiée.")
        table = _tabular(pq.read_table(f"{partial}.parquet"), schema)
        with pa.OSFile(partial, "wb") as sink, ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        os.replace(partial, path)
    finally:
        for name in (partial, f"{partial}.parquet"):
            if os.path.exists(name):
                os.remove(name)


def _tabular(table, schema):
    """The Parquet's columns as the CSV has them: geometry as longitude/latitude (points) or WKT,
    the types of the Table Schema when there is one, a row number first, text dictionary-encoded."""
    geometry = next((table[name] for name in GEOMETRY_COLUMNS if name in table.column_names), None)
    table = table.drop_columns([name for name in GEOMETRY_COLUMNS if name in table.column_names])
    if geometry is not None:
        shapes = shapely.from_wkb(geometry.to_numpy(zero_copy_only=False))
        kinds = set(shapely.get_type_id(shapes[~shapely.is_missing(shapes)]).tolist())
        if kinds <= {shapely.GeometryType.POINT}:
            table = table.append_column("longitude", pa.array(shapely.get_x(shapes).round(6)))
            table = table.append_column("latitude", pa.array(shapely.get_y(shapes).round(6)))
        else:
            table = table.append_column("geometrie", pa.array(shapely.to_wkt(shapes, rounding_precision=6)))
    if schema:
        table = _as_schema(table, schema)
    columns = [_dictionary(column, table.num_rows) for column in table.columns]
    table = pa.table(dict(zip(table.column_names, columns, strict=True)))
    row_ids = pa.array(range(1, table.num_rows + 1), pa.int64())
    return table.add_column(0, ROW_ID, row_ids).combine_chunks()


ARROW_TYPES = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "string": pa.string(),
}


def _as_schema(table, schema):
    """The schema's fields, in its order, with its types (a field the file lacks is left out)."""
    names, arrays = [], []
    for field in schema.get("fields", []):
        if field["name"] not in table.column_names:
            continue
        column = table[field["name"]]
        column = _cast(column, ARROW_TYPES.get(field.get("type")))
        names.append(field["name"])
        arrays.append(column)
    return pa.table(dict(zip(names, arrays, strict=True)))


def _cast(column, target):
    """The column in the schema's type; left as the file has it when it cannot be (never a 500)."""
    if target is None or column.type == target:
        return column
    if pa.types.is_timestamp(column.type) and pa.types.is_timestamp(target):
        return column  # already a date-time, with or without its time zone
    for candidate in (target, pa.timestamp("us", tz="UTC")) if pa.types.is_timestamp(target) else (target,):
        try:
            return pc.cast(column, candidate)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return column


def _dictionary(column, rows):
    if not pa.types.is_string(column.type) or rows == 0:
        return column
    if pc.count_distinct(column).as_py() > rows * DICTIONARY_RATIO:
        return column
    return pc.dictionary_encode(column)


# --- Columns and types ------------------------------------------------------------------------

TYPE_OF_ARROW = [
    (pa.types.is_boolean, "boolean"),
    (pa.types.is_integer, "integer"),
    (pa.types.is_floating, "number"),
    (pa.types.is_decimal, "number"),
    (pa.types.is_date, "date"),
    (pa.types.is_timestamp, "datetime"),
]


def _type_of(arrow_type):
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    return next((name for test, name in TYPE_OF_ARROW if test(arrow_type)), "string")


def columns_from_file(table):
    """Columns and types read from the file itself (versions published without a Table Schema)."""
    return [Column(field.name, _type_of(field.type)) for field in table.schema if field.name != ROW_ID]


def columns_of(table, schema):
    if not schema:
        return columns_from_file(table)
    described = {field["name"]: field for field in schema.get("fields", [])}
    return [
        Column(name, described[name].get("type", "string"), described[name].get("description", ""))
        if name in described
        else Column(name, _type_of(table.schema.field(name).type))
        for name in table.column_names
        if name != ROW_ID
    ]


def published_schema(publication):
    """The Table Schema published with ``publication`` (dict), or None.

    Hook for the Table Schema of each version (``services.published_schema``, issue 12): until a
    version has one, ``columns_from_file`` gives the columns."""
    reader = getattr(services, "published_schema", None)
    content = reader(publication.jeu, publication.version) if reader else None
    return json.loads(content) if content else None


# --- Queries ------------------------------------------------------------------------------------


def _parse(value, column, parameter):
    """A query-string value as the column's type; BadQuery with a French message otherwise."""
    try:
        match column.type:
            case "integer":
                return int(value)
            case "number":
                return float(value)
            case "boolean":
                lowered = value.lower()
                if lowered in ("true", "1", "oui", "vrai"):
                    return True
                if lowered in ("false", "0", "non", "faux"):
                    return False
                raise ValueError(value)
            case "date":
                return datetime.date.fromisoformat(value)
            case "datetime":
                return datetime.datetime.fromisoformat(value)
    except ValueError:
        expected = {
            "integer": "un entier",
            "number": "un nombre (point décimal)",
            "boolean": "true ou false",
            "date": "une date AAAA-MM-JJ",
            "datetime": "une date et heure ISO 8601",
        }[column.type]
        raise BadQuery(
            {parameter: f"« {value} » n'est pas {expected}, le type de la colonne « {column.name} »."}
        ) from None
    return value


def _on_values(column, predicate):
    """``predicate`` over a column; for a dictionary-encoded one, over its distinct values only."""
    chunks = []
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            chunks.append(_on_codes(chunk, predicate(chunk.dictionary)))
        else:
            chunks.append(predicate(chunk))
    return pa.chunked_array(chunks, pa.bool_())


# Up to this many distinct values pass: one integer comparison per value beats a lookup per row.
FEW_CODES = 8


def _on_codes(chunk, passing):
    """Rows of a dictionary-encoded ``chunk`` whose value passes (``passing``: one per distinct value)."""
    codes = pc.indices_nonzero(passing)
    if len(codes) > FEW_CODES:
        return pc.take(passing, chunk.indices)
    result = pc.equal(chunk.indices, pa.scalar(-1, chunk.indices.type))  # none yet (null stays null)
    for code in codes:
        result = pc.or_(result, pc.equal(chunk.indices, code.cast(chunk.indices.type)))
    return result


def _scalar(value, arrow_type):
    if pa.types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    return pa.scalar(value, arrow_type)


def _condition(table, column, operator, raw, parameter):
    data = table[column.name]
    if operator == "isnull":
        return pc.is_null(data)
    if operator == "isnotnull":
        return pc.is_valid(data)
    if operator in TEXT_ONLY:
        if column.type != "string":
            raise BadQuery({parameter: f"« {operator} » ne s'applique qu'aux colonnes de texte."})
        found = _on_values(data, lambda values: pc.match_substring(values, raw, ignore_case=True))
        return found if operator == "contains" else pc.invert(found)
    if operator in ("in", "notin"):
        values = pa.array([_parse(v, column, parameter) for v in raw.split(",")])
        values = pc.cast(values, data.type.value_type if pa.types.is_dictionary(data.type) else data.type)
        found = _on_values(data, lambda array: pc.is_in(array, value_set=values))
        # SQL's answer for a row without a value: neither in nor out of the list.
        return pc.and_(found if operator == "in" else pc.invert(found), pc.is_valid(data))
    value = _scalar(_parse(raw, column, parameter), data.type)
    compare = {
        "exact": pc.equal,
        "differs": pc.not_equal,
        "less": pc.less_equal,
        "greater": pc.greater_equal,
        "strictly_less": pc.less,
        "strictly_greater": pc.greater,
    }[operator]
    return _on_values(data, lambda array: compare(array, value))


@dataclass
class Query:
    mask: object = None  # boolean ChunkedArray, None for every row
    sort: tuple = ()  # ((column, "ascending" | "descending"), …)
    columns: tuple = ()


RESERVED = {"page", "page_size", "columns", "format"}


def parse_query(params, columns):
    """Filters, sort and column choice from the query string (``QueryDict``); BadQuery if invalid."""
    by_name = {column.name: column for column in columns}
    known = ", ".join(by_name)
    errors, conditions, sort = {}, [], []
    query = Query()
    for parameter in params:
        if parameter in RESERVED:
            continue
        name, _, operator = parameter.rpartition("__")
        if not name or operator not in OPERATORS:
            errors[parameter] = (
                "Paramètre inconnu. Filtrez avec colonne__opérateur=valeur, "
                f"opérateurs : {', '.join(OPERATORS)}."
            )
            continue
        if name not in by_name:
            errors[parameter] = f"Colonne inconnue « {name} ». Colonnes : {known}."
            continue
        for raw in params.getlist(parameter):
            if operator == "sort":
                if raw not in ("asc", "desc"):
                    errors[parameter] = "Tri : asc ou desc."
                    continue
                sort.append((name, "ascending" if raw == "asc" else "descending"))
            elif raw == "" and operator not in NO_VALUE:
                errors[parameter] = "Valeur manquante."
            else:
                conditions.append((by_name[name], operator, raw, parameter))
    chosen = [c for c in params.get("columns", "").split(",") if c]
    unknown = [c for c in chosen if c not in by_name]
    if unknown:
        errors["columns"] = f"Colonne(s) inconnue(s) : {', '.join(unknown)}. Colonnes : {known}."
    if errors:
        raise BadQuery(errors)
    query.columns, query.sort = tuple(chosen), tuple(sort)
    return query, conditions


def build_mask(table, conditions):
    mask = None
    for column, operator, raw, parameter in conditions:
        condition = _condition(table, column, operator, raw, parameter)
        mask = condition if mask is None else pc.and_(mask, condition)
    return mask


def _sortable(table, name):
    """A column Arrow can sort fast: a dictionary column becomes the rank of each value."""
    column = table[name].combine_chunks()
    if not pa.types.is_dictionary(column.type):
        return column
    ranks = pc.rank(column.dictionary, sort_keys="ascending", tiebreaker="dense")
    return pc.take(ranks, column.indices)


def _first_in_order(key, direction, k):
    """Positions in ``key`` of its first ``k`` values in ``direction``, ties in position order.

    A top-k selection finds the k-th value; only the rows up to it (ties included) are then sorted,
    stably: a page of a million rows costs a scan, not a full sort."""
    valid = len(key) - key.null_count
    if k < valid:
        top = pc.select_k_unstable(key, k=k, sort_keys=[("key", direction)])
        chosen = key.take(top)
        if direction == "ascending":
            candidates = pc.indices_nonzero(pc.less_equal(key, pc.max(chosen)))
        else:
            candidates = pc.indices_nonzero(pc.greater_equal(key, pc.min(chosen)))
    else:  # every valued row (and some without a value) is in the pages asked for
        candidates = pa.array(range(len(key)), pa.int64())
    order = pc.sort_indices(key.take(candidates), sort_keys=[("key", direction)])  # stable
    return candidates.take(order)


def select(table, query, offset, limit):
    """(total, rows of the page as an Arrow table) for ``query``; rows keep their ``__id``.

    Only positions travel until the page is known: the matching rows are never copied, the sort
    looks at its own columns only, and the page alone is taken from the table. Sorts are stable:
    rows that tie keep the file's order, so pages never overlap nor skip a row."""
    if query.sort:
        positions = None if query.mask is None else pc.indices_nonzero(query.mask.combine_chunks())
        total = table.num_rows if positions is None else len(positions)
        page = table.take(_sorted_page(table, query.sort, positions, total, offset, limit))
    elif query.mask is not None:  # only the page's positions are looked for, block by block
        mask = query.mask.combine_chunks()
        total = pc.sum(mask).as_py() or 0
        page = table.take(_nth_true(mask, offset, limit))
    else:
        total, page = table.num_rows, table.slice(offset, limit)
    if query.columns:
        page = page.select([ROW_ID, *query.columns])
    return total, page


def _sorted_page(table, sort, positions, total, offset, limit):
    """Positions in ``table`` of the page's rows, in the order of ``sort``."""
    if not total:
        return pa.array([], pa.uint64())
    keys = {}
    for i, (name, _) in enumerate(sort):
        column = _sortable(table, name)
        keys[f"k{i}"] = column if positions is None else column.take(positions)
    k = min(offset + limit, total)
    if len(keys) == 1:
        ranked = _first_in_order(keys["k0"], sort[0][1], k)
    elif (combined := _combined_key(list(keys.values()), [direction for _, direction in sort])) is not None:
        ranked = _first_in_order(combined, "ascending", k)
    else:
        order = [(f"k{i}", direction) for i, (_, direction) in enumerate(sort)]
        ranked = pc.sort_indices(pa.table(keys), sort_keys=order)
    ranked = ranked.slice(offset, limit)
    return ranked if positions is None else positions.take(ranked)


def _combined_key(keys, directions):
    """Several sort keys as one integer whose ascending order is theirs (nulls last in each), or
    None when it would not fit in 63 bits: each key becomes its dense rank in its direction."""
    codes, total_range = [], 1
    for key, direction in zip(keys, directions, strict=True):
        rank = pc.rank(key, sort_keys=direction, tiebreaker="dense")  # nulls ranked last
        size = (pc.max(rank).as_py() or 0) + 1
        total_range *= size
        if total_range >= 2**62:
            return None
        codes.append((rank.cast(pa.int64()), size))
    combined = None
    for code, size in codes:
        combined = code if combined is None else pc.add(pc.multiply(combined, size), code)
    return combined


BLOCK = 1 << 16


def _nth_true(mask, offset, limit):
    """Positions of the true values number offset … offset + limit - 1 of a boolean array: whole
    blocks before them are only counted, so a page costs a scan, not the list of every match."""
    found, skip, start = [], offset, 0
    while start < len(mask) and limit > 0:
        block = mask.slice(start, BLOCK)
        count = pc.sum(block).as_py() or 0
        if count <= skip:
            skip -= count
        elif count:
            chosen = pc.indices_nonzero(block).slice(skip, limit)
            found.append(pc.add(chosen, pa.scalar(start, pa.uint64())))
            limit -= len(chosen)
            skip = 0
        start += BLOCK
    return pa.concat_arrays(found) if found else pa.array([], pa.uint64())


def rows(table):
    """Plain Python rows (dicts) of a small Arrow table (a page)."""
    return table.to_pylist()
