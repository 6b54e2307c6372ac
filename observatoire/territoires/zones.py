"""Import infra-communal zones (IRIS, QPV, …) from the vector files their producers publish.

IGN's CONTOURS-IRIS (Shapefile or GeoPackage, often 3D, zipped), ANCT's QPV (GeoJSON, GeoPackage,
Shapefile): the reading of ``vector_files`` (zips, 2D, layer names, French errors). The fields are
named by the command (``--code-field``…), matched without case. Zones of communes outside the
territory are counted, not errors; a file entirely elsewhere is refused by ``Importer.execute``.
"""

import contextlib
from dataclasses import dataclass

from observatoire.imports.base import Importer, Summary, TooManyErrors, no_progress
from observatoire.imports.writing import upsert

from .locate import CommuneResolver, refuse_when_nowhere
from .models import Zone
from .vector_files import FeatureErrors, columns_for, read_layer, storage_geometries, text, to_geos

UPDATED = ["nom", "commune", "population", "geom"]


@dataclass
class ZoneFields:
    code: str
    nom: str
    commune: str | None = None
    population: str | None = None


def _population(raw, column, number, errors):
    raw = text(raw)
    if not raw:
        return None
    try:
        value = float(raw.replace(",", "."))
        if value < 0 or not value.is_integer():
            raise ValueError
    except ValueError:
        errors.add(number, column, f"population invalide « {raw} ».")
        return None
    return int(value)


def read_zones(path, zone_type, fields, layer=None, progress=no_progress):
    """Validate every feature: (Zone objects, summary) or ImportRejected naming feature and field."""
    frame = read_layer(path, layer, command="import_zones")
    wanted = {
        "code": fields.code,
        "nom": fields.nom,
        "commune": fields.commune,
        "population": fields.population,
    }
    names = [name for name in wanted.values() if name]
    found = columns_for(frame, names, names, command="import_zones")
    columns = {key: found[name] for key, name in wanted.items() if name}
    errors, summary = FeatureErrors(), Summary()
    rows, seen = {}, {}
    with contextlib.suppress(TooManyErrors):
        geoms = storage_geometries(frame, errors)
        resolver = CommuneResolver()
        records = frame.drop(columns="geometry").to_dict("records")
        for number, record in enumerate(records, start=1):
            summary.read += 1
            code, nom = text(record[columns["code"]]), text(record[columns["nom"]])
            if not code or not nom:
                errors.add(number, None, "code ou nom vide.")
            elif code in seen:
                errors.add(number, columns["code"], f"code « {code} » déjà vu à l'entité {seen[code]}.")
            seen.setdefault(code, number)
            # The QPV files list every commune a quarter spans (« 13201,13202 »): the first one.
            commune_code = (
                text(record[columns["commune"]]).split(",")[0].strip() if "commune" in columns else ""
            )
            resolver.declare(number, commune_code, columns.get("commune"), errors)
            population = None
            if "population" in columns:
                population = _population(record[columns["population"]], columns["population"], number, errors)
            rows[number] = Zone(type=zone_type, code=code, nom=nom[:200], population=population)
            if number % 500 == 0:
                progress(number, len(records))
        if not errors:
            resolver.locate_the_rest(geoms)
    errors.raise_if_any()
    resolver.note_outside(summary, rows, geoms)
    zones = []
    for number, zone in rows.items():
        if resolver.located.get(number) is not None:
            zone.commune_id, zone.geom = resolver.located[number][0], to_geos(geoms[number])
            zones.append(zone)
    refuse_when_nowhere(summary, len(zones))
    progress(summary.read, summary.read)
    return zones, summary


class ZonesImporter(Importer):
    """Not in the registry (the admin's upload form has no field names to give it): the command
    builds one per run and goes through ``execute``, the dry run included."""

    kind = "zones"
    label = "Zones infra-communales (IRIS, QPV…)"
    extensions = (".geojson", ".json", ".gpkg", ".zip")

    def __init__(self, zone_type, fields, layer=None):
        self.zone_type, self.fields, self.layer = zone_type, fields, layer

    def run(self, path, *, progress=no_progress):
        zones, summary = read_zones(path, self.zone_type, self.fields, self.layer, progress)
        return upsert(zones, summary, keys=["type", "code"], update_fields=UPDATED)


def import_zones(path, zone_type, fields, layer=None, dry_run=False):
    """The import as the command runs it (for the demo data): the summary, or ImportRejected."""
    return ZonesImporter(zone_type, fields, layer).execute(path, dry_run=dry_run)
