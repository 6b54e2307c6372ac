"""Import infra-communal zones (IRIS, QPV, …) from any vector file GDAL reads."""

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Area, Intersection
from django.contrib.gis.gdal import DataSource, GDALException
from django.db import transaction
from django.db.models import F

from .geometry import as_storage_multipolygon
from .models import Commune, Zone


class ZoneFileError(Exception):
    """The file cannot be imported; ``errors`` names each bad feature."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


@dataclass
class ZoneImportSummary:
    read: int = 0
    inserted: int = 0
    updated: int = 0


@dataclass
class ZoneFields:
    code: str
    nom: str
    commune: str | None = None
    population: str | None = None


def _open_layer(path, layer_name):
    try:
        source = DataSource(str(path))
    except GDALException as error:
        raise ZoneFileError(f"Fichier illisible : {path} ({error}).") from error
    if layer_name is None:
        return source[0]
    names = [layer.name for layer in source]
    if layer_name not in names:
        raise ZoneFileError(f"Couche « {layer_name} » absente ; couches disponibles : {', '.join(names)}.")
    return source[names.index(layer_name)]


def _commune_for(geom, code):
    if code:
        commune = Commune.for_official_code(str(code).split(",")[0])
        if commune:
            return commune
    # No usable code: the commune that holds the largest part of the zone.
    return (
        Commune.objects.filter(geom__intersects=geom)
        .annotate(overlap=Area(Intersection(F("geom"), geom)))
        .order_by("-overlap")
        .first()
    )


def read_zones(path, zone_type, fields, layer_name=None):
    """Validate every feature; return Zone objects or raise ZoneFileError listing the bad ones."""
    layer = _open_layer(path, layer_name)
    missing = [name for name in (fields.code, fields.nom, fields.commune, fields.population) if name]
    missing = [name for name in missing if name not in layer.fields]
    if missing:
        raise ZoneFileError(
            f"Champ(s) absent(s) : {', '.join(missing)}. Champs du fichier : {', '.join(layer.fields)}."
        )
    zones, errors, seen = [], [], set()
    for number, feature in enumerate(layer, start=1):
        code = str(feature.get(fields.code) or "").strip()
        nom = str(feature.get(fields.nom) or "").strip()
        where = f"entité {number}" + (f" ({code})" if code else "")
        if not code or not nom:
            errors.append(f"{where} : code ou nom vide.")
            continue
        if code in seen:
            errors.append(f"{where} : code en double dans le fichier.")
            continue
        seen.add(code)
        geom = feature.geom
        if geom.geom_type.name not in ("Polygon", "MultiPolygon", "Polygon25D", "MultiPolygon25D"):
            errors.append(f"{where} : géométrie {geom.geom_type.name}, polygone attendu.")
            continue
        if geom.srs is None:
            errors.append(f"{where} : système de coordonnées inconnu.")
            continue
        geos = as_storage_multipolygon(geom.geos)
        commune = _commune_for(geos, feature.get(fields.commune) if fields.commune else None)
        if commune is None:
            errors.append(f"{where} : aucune commune du territoire ne correspond.")
            continue
        population = feature.get(fields.population) if fields.population else None
        zones.append(
            Zone(
                type=zone_type,
                code=code,
                nom=nom,
                commune=commune,
                population=int(population) if population not in (None, "") else None,
                geom=geos,
            )
        )
    if errors:
        raise ZoneFileError(f"{len(errors)} entité(s) invalide(s) : rien n'a été importé.", errors)
    return zones


def import_zones(path, zone_type, fields, layer_name=None, dry_run=False):
    zones = read_zones(path, zone_type, fields, layer_name)
    existing = set(
        Zone.objects.filter(type=zone_type, code__in=[z.code for z in zones]).values_list("code", flat=True)
    )
    summary = ZoneImportSummary(read=len(zones), updated=len(existing), inserted=len(zones) - len(existing))
    if not dry_run:
        with transaction.atomic():
            Zone.objects.bulk_create(
                zones,
                update_conflicts=True,
                unique_fields=["type", "code"],
                update_fields=["nom", "commune", "population", "geom", "updated_at"],
            )
    return summary
