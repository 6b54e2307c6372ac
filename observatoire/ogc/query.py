"""The SQL of OGC API Features requests: parameters parsed and refused in French, one query per page.

Every request value reaches PostgreSQL as a query parameter; the SQL text only joins fragments
declared in code (``registry.Collection``). The bbox is tested on the stored geometry in Lambert-93,
so the GiST index answers; the features are written as GeoJSON by PostGIS itself, one text per row.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import DataError, connection

from observatoire.core.params import aware_datetime, bounded_int

STORAGE_SRID = 2154
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
EXTENT_SECONDS = 3600

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG_2154 = "http://www.opengis.net/def/crs/EPSG/0/2154"
# What each CRS means for the SQL: its SRID, whether its axes are latitude first, its decimals.
SUPPORTED_CRS = {
    CRS84: (4326, False, 7),
    EPSG_4326: (4326, True, 7),
    EPSG_2154: (2154, False, 2),
}
COMMON_PARAMETERS = {"f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime"}


class BadRequest(Exception):
    """A parameter the client must fix: the message says which and why, in French."""


@dataclass
class ItemsRequest:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    bbox: tuple | None = None
    bbox_crs: str = CRS84
    crs: str = CRS84
    datetime: tuple | None = None  # (start, end), either may be None for an open end
    filters: dict = field(default_factory=dict)


def parse_crs(raw, name):
    raw = (raw or CRS84).strip()
    if raw not in SUPPORTED_CRS:
        raise BadRequest(
            f"Paramètre « {name} » : système de coordonnées non pris en charge ({raw[:80]}). "
            f"Valeurs possibles : {', '.join(SUPPORTED_CRS)}."
        )
    return raw


def parse_items(collection, params):
    """Read the query string of an items request, or raise BadRequest."""
    allowed = COMMON_PARAMETERS | {q.name for q in collection.queryables}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise BadRequest(
            f"Paramètre inconnu : {', '.join(unknown)}. Paramètres acceptés : {', '.join(sorted(allowed))}."
        )
    request = ItemsRequest()
    if "limit" in params:
        request.limit = _integer(params["limit"], "limit", 1, MAX_LIMIT)
    if "offset" in params:
        request.offset = _integer(params["offset"], "offset", 0, 10**9)
    request.crs = parse_crs(params.get("crs"), "crs")
    request.bbox_crs = parse_crs(params.get("bbox-crs"), "bbox-crs")
    if "bbox" in params:
        request.bbox = _bbox(params["bbox"], request.bbox_crs)
    if "datetime" in params:
        if not collection.datetime:
            raise BadRequest("Paramètre « datetime » : cette collection n'a pas de dimension temporelle.")
        request.datetime = _interval(params["datetime"])
    for queryable in collection.queryables:
        if queryable.name in params:
            request.filters[queryable.name] = _typed(queryable, params[queryable.name])
    return request


def _integer(raw, name, minimum, maximum):
    try:
        return bounded_int(raw, minimum, maximum)
    except ValueError:
        raise BadRequest(
            f"Paramètre « {name} » : un entier entre {minimum} et {maximum} est attendu, pas « {raw[:40]} »."
        ) from None


def _bbox(raw, crs):
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) == 6:  # a 3D box: the heights do not matter for our 2D data
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or any(n != n or abs(n) == float("inf") for n in numbers):
        raise BadRequest(
            "Paramètre « bbox » : quatre nombres séparés par des virgules sont attendus "
            "(ouest,sud,est,nord en longitude/latitude WGS84 par défaut)."
        )
    if SUPPORTED_CRS[crs][1]:  # EPSG:4326 is latitude first
        numbers = [numbers[1], numbers[0], numbers[3], numbers[2]]
    west, south, east, north = numbers
    if west > east or south > north:
        raise BadRequest("Paramètre « bbox » : l'ouest doit être inférieur à l'est et le sud au nord.")
    if SUPPORTED_CRS[crs][0] == 4326 and not (west >= -180 and east <= 180 and south >= -90 and north <= 90):
        raise BadRequest("Paramètre « bbox » : longitudes entre -180 et 180, latitudes entre -90 et 90.")
    return tuple(numbers)


def _moment(raw):
    raw = raw.strip()
    if raw in ("", ".."):
        return None
    try:
        return aware_datetime(raw if "T" in raw else f"{raw}T00:00:00")
    except ValueError:
        raise BadRequest(
            f"Paramètre « datetime » : « {raw[:40]} » n'est pas une date ou une date-heure RFC 3339 "
            "(ex. 2024-03-18, 2024-03-18T10:00:00Z, 2024-01-01/2024-12-31, ../2024-12-31)."
        ) from None


def _interval(raw):
    if "/" in raw:
        start_raw, _, end_raw = raw.partition("/")
        start, end = _moment(start_raw), _moment(end_raw)
        if start and end and start > end:
            raise BadRequest("Paramètre « datetime » : le début de l'intervalle est après sa fin.")
        if "T" not in end_raw and end is not None:
            end = end.replace(hour=23, minute=59, second=59, microsecond=999999)  # a date ends at midnight
        return start, end
    start = _moment(raw)
    if start is None:
        raise BadRequest("Paramètre « datetime » : une date ou un intervalle est attendu.")
    end = start if "T" in raw else start.replace(hour=23, minute=59, second=59, microsecond=999999)
    return start, end


def _typed(queryable, raw):
    if queryable.type == "integer":
        try:
            return int(raw)
        except ValueError:
            raise BadRequest(f"Paramètre « {queryable.name} » : un entier est attendu.") from None
    if queryable.type == "number":
        try:
            return float(raw)
        except ValueError:
            raise BadRequest(f"Paramètre « {queryable.name} » : un nombre est attendu.") from None
    if queryable.format == "date":
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise BadRequest(f"Paramètre « {queryable.name} » : une date AAAA-MM-JJ est attendue.") from None
    if queryable.enum and raw not in queryable.enum:
        raise BadRequest(
            f"Paramètre « {queryable.name} » : valeur inconnue « {raw[:40]} ». "
            f"Valeurs possibles : {', '.join(queryable.enum)}."
        )
    return raw


def _conditions(collection, request):
    conditions, params = [], []
    if collection.where:
        conditions.append(f"({collection.where})")
    if request.bbox:
        srid = SUPPORTED_CRS[request.bbox_crs][0]
        conditions.append(
            f"{collection.geometry} && ST_Transform(ST_MakeEnvelope(%s, %s, %s, %s, {srid}), {STORAGE_SRID})"
        )
        params.extend(request.bbox)
    if request.datetime:
        start, end = request.datetime
        if start is not None:
            conditions.append(f"({collection.datetime})::timestamptz >= %s")
            params.append(start)
        if end is not None:
            conditions.append(f"({collection.datetime})::timestamptz <= %s")
            params.append(end)
    for name, value in request.filters.items():
        conditions.append(f"{collection.queryable(name).sql} = %s")
        params.append(value)
    return (" WHERE " + " AND ".join(conditions) if conditions else ""), params


def _geometry_sql(collection, crs):
    srid, latitude_first, decimals = SUPPORTED_CRS[crs]
    geometry = f"ST_Transform({collection.published_geometry}, {srid})"
    if latitude_first:
        geometry = f"ST_FlipCoordinates({geometry})"
    return f"ST_AsGeoJSON({geometry}, {decimals})::json"


def _properties_sql(collection):
    return ", ".join(f'{sql} AS "{name}"' for name, sql in collection.properties)


def features(collection, request):
    """The page of features asked for, as GeoJSON Feature texts, in the order of their id."""
    where, params = _conditions(collection, request)
    sql = (
        f"SELECT json_build_object('type', 'Feature', 'id', {collection.fid}, "  # noqa: S608 - code only
        f"'geometry', {_geometry_sql(collection, request.crs)}, 'properties', row_to_json(p))::text "
        f"FROM {collection.from_sql} CROSS JOIN LATERAL (SELECT {_properties_sql(collection)}) p"
        f"{where} ORDER BY {collection.fid} LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, request.limit, request.offset])
        return [row[0] for row in cursor.fetchall()]


def count(collection, request):
    where, params = _conditions(collection, request)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {collection.from_sql}{where}", params)  # noqa: S608 - code only
        return cursor.fetchone()[0]


def feature(collection, fid, crs=CRS84):
    """One feature's GeoJSON text, or None when no feature has that id."""
    conditions = f"({collection.where}) AND " if collection.where else ""
    sql = (
        f"SELECT json_build_object('type', 'Feature', 'id', {collection.fid}, "  # noqa: S608 - code only
        f"'geometry', {_geometry_sql(collection, crs)}, 'properties', row_to_json(p))::text "
        f"FROM {collection.from_sql} CROSS JOIN LATERAL (SELECT {_properties_sql(collection)}) p "
        f"WHERE {conditions}{collection.fid} = %s"
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, [fid])
            row = cursor.fetchone()
    except DataError:  # an id that cannot be of the column's type (« abc » for a number)
        return None
    return row[0] if row else None


def extent(collection):
    """(bbox in CRS84, (first, last) datetime or None), cached an hour: an aggregate over every row."""
    key = f"ogc:extent:{collection.id}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    where = f" WHERE {collection.where}" if collection.where else ""
    sql = _extent_sql(collection, where)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    bbox = [round(v, 6) for v in row[:4]] if row[0] is not None else None
    interval = [_iso(row[4]), _iso(row[5])] if collection.datetime and row[4] is not None else None
    result = (bbox, interval)
    cache.set(key, result, EXTENT_SECONDS)
    return result


def _extent_sql(collection, where):
    temporal = (
        f", min({collection.datetime}) AS t0, max({collection.datetime}) AS t1" if collection.datetime else ""
    )
    columns = ", t0, t1" if collection.datetime else ""
    return (
        f"SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b){columns} FROM ("  # noqa: S608 - code only
        f"SELECT ST_Transform(ST_SetSRID(ST_Extent({collection.geometry})::geometry, {STORAGE_SRID}), 4326)"
        " AS b"
        f"{temporal} FROM {collection.from_sql}{where}) e"
    )


def _iso(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
