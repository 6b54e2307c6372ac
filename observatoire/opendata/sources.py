"""Where the rows of a published dataset come from: one SQL query per source, declared by its app.

A source's query returns plain columns and, for spatial data, a ``geom`` column in EPSG:4326.
Whatever is not in the query cannot leak into a file: anonymisation happens here, by construction.

Each source also has a data dictionary (``describe``): what every column means, its unit and the
constraints its values keep. The column types are not declared: they are read from the query itself
(``query_columns``), so the Table Schema published beside the files cannot drift from them.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection

SOURCES = {}
# The keys of the sources with a geometry: what a module may know of the sources without reaching
# their SQL (the ISO records of the catalogue, tests/gouvernance/test_row_gate.py).
SPATIAL_SOURCES = set()
DATASETS = {}
DICTIONARIES = {}

# Communes and Marseille's, Lyon's and Paris's arrondissements; Corsica's 2A/2B.
INSEE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"
SIREN_PATTERN = r"^\d{9}$"


@dataclass(frozen=True)
class Column:
    """A column of a source's query as PostgreSQL types it (``type_oid``: pg_type oid)."""

    name: str
    type_oid: int


def query_columns(sql, params=()):
    """The columns the query returns, without reading a row (PostgreSQL plans it with LIMIT 0)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) s LIMIT 0", params or None)  # noqa: S608 - declared in code
        return [Column(d.name, d.type_code) for d in cursor.description]


@dataclass(frozen=True)
class Source:
    key: str
    sql: str
    geometry: str = ""  # "point", "polygon" or "" (no geometry)
    params: tuple = ()

    @cached_property
    def columns(self):
        """The query's attribute columns (the geometry aside), in order."""
        return [c for c in query_columns(self.sql, self.params) if c.name != "geom"]

    @property
    def attributes_sql(self):
        """The rows as the CSV carries them: the attributes, then the geometry as spreadsheets and GIS
        read it, longitude/latitude for points, WKT for lines and polygons (never hex EWKB)."""
        if not self.geometry:
            return self.sql
        names = ", ".join(f's."{c.name}"' for c in self.columns)
        extra = (
            "round(ST_X(s.geom)::numeric, 6) AS longitude, round(ST_Y(s.geom)::numeric, 6) AS latitude"
            if self.geometry == "point"
            else "ST_AsText(s.geom, 6) AS geometrie"
        )
        return f"SELECT {names}, {extra} FROM ({self.sql}) s"  # noqa: S608 - SQL declared in code, no input


@dataclass(frozen=True)
class Field:
    """What the data dictionary says about one column (its type comes from the query)."""

    name: str
    description: str
    unit: str = ""
    pattern: str = ""
    enum: tuple = ()
    required: bool = False
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    example: str = ""


@dataclass(frozen=True)
class NationalSchema:
    """A schema of schema.data.gouv.fr for this kind of data, and how far the dataset follows it."""

    title: str
    url: str
    follows: bool
    statement: str


@dataclass(frozen=True)
class Dictionary:
    fields: tuple
    primary_key: tuple = ()
    national_schema: NationalSchema | None = None

    def field(self, name):
        return next((f for f in self.fields if f.name == name), None)


def describe(source_key, *fields, primary_key=(), national_schema=None):
    DICTIONARIES[source_key] = Dictionary(tuple(fields), tuple(primary_key), national_schema)


def commune_insee(name="commune_insee", description="Code officiel géographique (INSEE) de la commune", **kw):
    """The INSEE code of a commune: a string of five characters (leading zeros, Corsica's 2A/2B)."""
    return Field(name, description, pattern=INSEE_PATTERN, example="13001", **kw)


def commune_nom(name="commune", description="Nom de la commune", **kw):
    return Field(name, description, example="Aix-en-Provence", **kw)


def declare_source(source):
    SOURCES[source.key] = source
    if source.geometry:
        SPATIAL_SOURCES.add(source.key)
    return source


@dataclass(frozen=True)
class Declaration:
    """The catalogue record an app creates for its dataset (editors may refine it afterwards)."""

    slug: str
    defaults: dict = field(default_factory=dict)


def declare_dataset(slug, **defaults):
    DATASETS[slug] = Declaration(slug, defaults)


def sync_catalogue():
    """Create the declared datasets that do not exist yet; never overwrite an editor's changes."""
    from gouvernance.models import JeuDeDonnees

    created = 0
    for declaration in DATASETS.values():
        _, was_created = JeuDeDonnees.objects.get_or_create(
            slug=declaration.slug, defaults=declaration.defaults
        )
        created += was_created
    return created
