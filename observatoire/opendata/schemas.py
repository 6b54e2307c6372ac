"""The Table Schema of a published dataset (frictionless « Table Schema », as schema.data.gouv.fr
publishes them): its fields with their types, constraints and French descriptions, published beside
the files of each version (``schema.json``) and shown on the dataset page as its data dictionary.

The types come from the source's query as PostgreSQL types it, the meaning and the constraints from
the source's data dictionary (``sources.describe``): a column nobody described stops the publication.
The schema describes the CSV; the GeoJSON and GeoParquet carry the same fields with a native geometry.
"""

import json

from django.conf import settings
from django.urls import reverse

from gouvernance.enums import LICENCE_URI, Licence

from .sources import DICTIONARIES, Field

TABLE_SCHEMA = "https://frictionlessdata.io/schemas/table-schema.json"
FILE_NAME = "schema.json"

# pg_type oid → Table Schema type. The exporters write each type the same way in every format.
TYPES = {
    16: "boolean",
    20: "integer",
    21: "integer",
    23: "integer",
    700: "number",
    701: "number",
    1700: "number",
    1082: "date",
    1114: "datetime",
    1184: "datetime",
    25: "string",
    1042: "string",
    1043: "string",
}
TYPE_LABELS = {
    "boolean": "booléen",
    "integer": "entier",
    "number": "nombre décimal",
    "date": "date (AAAA-MM-JJ)",
    "datetime": "date et heure",
    "string": "texte",
}
LICENCE_NAMES = {Licence.LO2: "etalab-2.0", Licence.ODBL: "ODbL-1.0"}

# The geometry as the CSV carries it (sources.Source.attributes_sql).
DEGREES = "degré décimal (WGS 84, EPSG:4326)"
CSV_GEOMETRY = {
    "point": (
        Field("longitude", "Longitude du point", unit=DEGREES, required=True, minimum=-180, maximum=180),
        Field("latitude", "Latitude du point", unit=DEGREES, required=True, minimum=-90, maximum=90),
    ),
    "polygon": (
        Field(
            "geometrie",
            "Contour en WKT (Well-Known Text), coordonnées en degrés décimaux WGS 84 (EPSG:4326), "
            "longitude puis latitude",
            pattern=r"^(MULTI)?POLYGON ?\(.+\)$",
            required=True,
        ),
    ),
}
CSV_GEOMETRY_TYPES = {"longitude": "number", "latitude": "number", "geometrie": "string"}


class UndescribedColumn(Exception):
    """A published column has no entry in its source's data dictionary."""


def field_type(column):
    try:
        return TYPES[column.type_oid]
    except KeyError:
        raise UndescribedColumn(
            f"La colonne « {column.name} » a un type PostgreSQL (oid {column.type_oid}) sans équivalent "
            "prévu dans le Table Schema : convertissez-la dans la requête de la source (::text, ::numeric…)."
        ) from None


def _field(spec, kind):
    field = {"name": spec.name, "type": kind, "description": spec.description}
    if spec.unit:
        field["description"] += f" (unité : {spec.unit})"
        field["unit"] = spec.unit  # custom property, as several schema.data.gouv.fr schemas do
    if kind == "boolean":
        field["trueValues"], field["falseValues"] = ["t", "true"], ["f", "false"]  # PostgreSQL's COPY
    if spec.example:
        field["example"] = spec.example
    constraints = {"required": spec.required}
    if spec.unique:
        constraints["unique"] = True
    if spec.pattern:
        constraints["pattern"] = spec.pattern
    if spec.enum:
        constraints["enum"] = list(spec.enum)
    if spec.minimum is not None:
        constraints["minimum"] = spec.minimum
    if spec.maximum is not None:
        constraints["maximum"] = spec.maximum
    field["constraints"] = constraints
    return field


def fields(source):
    """The CSV's fields, in the file's order: the query's columns, then its geometry."""
    dictionary = DICTIONARIES.get(source.key)
    result = []
    for column in source.columns:
        spec = dictionary.field(column.name) if dictionary else None
        if spec is None:
            raise UndescribedColumn(
                f"La colonne « {column.name} » de la source « {source.key} » n'est pas décrite : "
                "ajoutez-la à son dictionnaire (sources.describe) avant de publier."
            )
        result.append(_field(spec, field_type(column)))
    for spec in CSV_GEOMETRY.get(source.geometry, ()):
        result.append(_field(spec, CSV_GEOMETRY_TYPES[spec.name]))
    return result


def schema_url(jeu, version=None):
    kwargs = {"slug": jeu.slug} | ({"version": version} if version else {})
    return settings.SITE_URL + reverse(
        "opendata:schema_version" if version else "opendata:schema", kwargs=kwargs
    )


def table_schema(jeu, source, version):
    """The Table Schema of version ``version`` of the dataset (deterministic: no dates in it)."""
    dictionary = DICTIONARIES.get(source.key)
    schema = {
        "$schema": TABLE_SCHEMA,
        "name": jeu.slug,
        "title": f"Schéma du jeu de données « {jeu.titre} »",
        "description": (
            f"{jeu.description}\n\nCe schéma décrit le fichier CSV (UTF-8, séparateur virgule). "
            + (
                "Les fichiers GeoJSON et GeoParquet portent les mêmes champs, la géométrie y étant native "
                "(EPSG:4326) au lieu des colonnes de géométrie du CSV."
                if source.geometry
                else "Le fichier Parquet porte les mêmes champs, avec les mêmes types."
            )
        ),
        "countryCode": "FR",
        "homepage": settings.SITE_URL + jeu.get_absolute_url(),
        "path": schema_url(jeu, version),
        "version": f"{version}.0.0",
        "licenses": [
            {
                "title": jeu.get_licence_display(),
                "name": LICENCE_NAMES[jeu.licence],
                "path": LICENCE_URI[jeu.licence],
            }
        ],
        "contributors": [
            {
                "title": jeu.producteur,
                "organisation": jeu.producteur,
                "role": "author",
                "email": jeu.contact or settings.OPENDATA_CONTACT_EMAIL,  # as the DCAT contact point
            }
        ],
        "fields": fields(source),
        "missingValues": [""],
    }
    if jeu.source:
        schema["sources"] = [{"title": jeu.source}]
    if dictionary and dictionary.primary_key:
        schema["primaryKey"] = list(dictionary.primary_key)
    national = dictionary.national_schema if dictionary else None
    schema["schemaNational"] = (  # custom property: the national schema for this kind of data, if any
        {
            "title": national.title,
            "path": national.url,
            "suivi": national.follows,
            "precision": national.statement,
        }
        if national
        else {"suivi": False, "precision": NO_NATIONAL_SCHEMA}
    )
    return schema


NO_NATIONAL_SCHEMA = (
    "Aucun schéma national n'est référencé sur schema.data.gouv.fr pour ce type de données : "
    "ce schéma est propre à la métropole."
)


def to_bytes(schema):
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def dictionary_rows(schema):
    """The data dictionary as the dataset page shows it: one row per field, in French."""
    rows = []
    for field in schema.get("fields", []):
        constraints = field.get("constraints", {})
        # (label, value): the page shows a value as code that never wraps (a pattern cut in two
        # reads as two patterns); the table scrolls instead.
        rules = []
        if constraints.get("required"):
            rules.append(("obligatoire", None))
        if constraints.get("unique"):
            rules.append(("unique", None))
        if "enum" in constraints:
            rules.append(("valeurs : " + ", ".join(str(v) for v in constraints["enum"]), None))
        for key, label in (("pattern", "motif"), ("minimum", "minimum"), ("maximum", "maximum")):
            if key in constraints:
                rules.append((label, constraints[key]))
        rows.append(
            {
                "nom": field["name"],
                "type": TYPE_LABELS.get(field["type"], field["type"]),
                "description": field.get("description", ""),
                "contraintes": rules,
                "exemple": field.get("example", ""),
            }
        )
    return rows
