"""Where the rows of a published dataset come from: one SQL query per source, declared by its app.

A source's query returns plain columns and, for spatial data, a ``geom`` column in EPSG:4326.
Whatever is not in the query cannot leak into a file: anonymisation happens here, by construction.
"""

from dataclasses import dataclass, field

SOURCES = {}
DATASETS = {}


@dataclass(frozen=True)
class Source:
    key: str
    sql: str
    geometry: str = ""  # "point", "polygon" or "" (no geometry)
    params: tuple = ()

    @property
    def attributes_sql(self):
        """The query without its geometry, with longitude/latitude for points (CSV)."""
        if not self.geometry:
            return self.sql
        extra = (
            "round(ST_X(geom)::numeric, 6) AS longitude, round(ST_Y(geom)::numeric, 6) AS latitude"
            if self.geometry == "point"
            else "round(ST_X(ST_PointOnSurface(geom))::numeric, 6) AS longitude, "
            "round(ST_Y(ST_PointOnSurface(geom))::numeric, 6) AS latitude"
        )
        return f"SELECT s.*, {extra} FROM ({self.sql}) s"  # noqa: S608 - SQL declared in code, no input


@dataclass(frozen=True)
class Declaration:
    """The catalogue record an app creates for its dataset (editors may refine it afterwards)."""

    slug: str
    defaults: dict = field(default_factory=dict)


def declare_source(source):
    SOURCES[source.key] = source
    return source


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
