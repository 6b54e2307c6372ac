"""The layers the portal serves to GIS clients, declared by the apps that own the data (ADR 12).

An app declares a ``Collection`` in its ``catalogue`` module, next to the open-data source of the
same rows: which catalogued dataset it belongs to (rights, audit, licence and ISO record come from
there), how to read its rows in SQL and which fields a client may filter on. The SQL is written in
code, never from input: requests only bring values, passed as query parameters.

Geometries are stored in Lambert-93 (ADR 2). ``geometry`` names the stored, indexed column the bbox
is tested on; ``output_geometry`` is what leaves the portal when it differs (reports are snapped to
the public grid, ``signalements.positions``), any SRID: the engine transforms it to the asked CRS.
"""

from dataclasses import dataclass, field

COLLECTIONS = {}
PROVIDERS = []


@dataclass(frozen=True)
class Queryable:
    """A property a client may filter on with ``?name=value`` (exact match; dates and numbers typed)."""

    name: str
    sql: str
    type: str = "string"  # JSON Schema type: string, integer, number; format date for dates
    title: str = ""
    format: str = ""  # "date" or "date-time" for strings that are dates
    enum: tuple = ()


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    dataset: str  # slug of the catalogue record (gouvernance.JeuDeDonnees)
    from_sql: str  # FROM and JOINs only: no WHERE, no ORDER BY
    fid: str  # SQL expression of the feature id: unique and orderable
    properties: tuple  # ((name, SQL expression), ...) in the order clients see them
    geometry: str  # SQL expression of the stored geometry (EPSG:2154, indexed)
    geometry_type: str  # GeoJSON type: Point, MultiPolygon, MultiLineString…
    output_geometry: str = ""  # SQL expression of the geometry as published, when it differs
    where: str = ""  # a fixed condition (SQL), e.g. the statuses never published
    datetime: str = ""  # SQL expression (date or timestamp) the ``datetime`` parameter filters on
    queryables: tuple = ()
    keywords: tuple = ()
    tiles: object = None  # observatoire.ogc.tilesets.TileSettings, when the collection has tiles
    listed: bool = True  # False: served to those with the right, but never listed nor indexed
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def published_geometry(self):
        return self.output_geometry or self.geometry

    def queryable(self, name):
        return next((q for q in self.queryables if q.name == name), None)


def declare_collection(collection):
    COLLECTIONS[collection.id] = collection
    return collection


def declare_collection_provider(provider):
    """``provider()`` yields collections built from data (one per public indicator, …)."""
    PROVIDERS.append(provider)
    return provider


def all_collections():
    """Every collection, the declared ones first, then those the providers build from the data."""
    collections = dict(COLLECTIONS)
    for provider in PROVIDERS:
        for collection in provider():
            collections.setdefault(collection.id, collection)
    return collections


def get_collection(collection_id):
    collection = COLLECTIONS.get(collection_id)
    if collection is not None:
        return collection
    return all_collections().get(collection_id)
