"""Zones of the PLU/PLUi: the CNIG standard layer ``zone_urba``, from GeoJSON, GeoPackage or Shapefile.

Fields (CNIG, any case): LIBELLE, TYPEZONE (U, AUc, AUs, A, N) and IDURBA required; LIBELONG,
DESTDOMI, NOMFIC, URLFIC, INSEE, DATAPPRO, DATVALID (AAAAMMJJ) read when present.

Key: (IDURBA, LIBELLE, INSEE). The polygons of one key are one zone (their union). An empty INSEE
(a PLU rather than a PLUi) takes the commune holding most of the polygon. A file is the whole
document for the communes it covers: zones of the same (IDURBA, INSEE) absent from it are deleted.
"""

import contextlib

import shapely
from django.db import transaction
from django.db.models import Q

from observatoire.imports.base import Importer, Summary, TooManyErrors, no_progress, register

from .gisements import schedule_recompute
from .gisements_fichiers import (
    CommuneResolver,
    FeatureErrors,
    as_multipolygon,
    columns_for,
    parse_date,
    read_layer,
    storage_geometries,
    text,
    to_geos,
)
from .models import TypeZone, ZonePlu

LAYER = "zone_urba"
FIELDS = ["LIBELLE", "LIBELONG", "TYPEZONE", "DESTDOMI", "NOMFIC", "URLFIC", "INSEE", "DATAPPRO", "DATVALID",
          "IDURBA"]  # fmt: skip
REQUIRED = ["LIBELLE", "TYPEZONE", "IDURBA"]
TYPES = {value.lower(): value for value in TypeZone.values}
LIMITS = {"LIBELLE": 40, "LIBELONG": 254, "DESTDOMI": 2, "NOMFIC": 254, "URLFIC": 500, "IDURBA": 80}
UPDATED = ["libelong", "typezone", "destdomi", "nomfic", "urlfic", "datappro", "datvalid", "commune",
           "surface_m2", "geom"]  # fmt: skip


def _attributes(value, columns, number, errors):
    fields = {}
    for name, limit in LIMITS.items():
        fields[name] = text(value.get(name))
        if len(fields[name]) > limit:
            errors.add(number, columns[name], f"{len(fields[name])} caractères, {limit} au plus.")
    for name in REQUIRED:
        if not fields.get(name, text(value.get(name))):
            errors.add(number, columns[name], "valeur vide.")
    typezone = TYPES.get(text(value["TYPEZONE"]).lower())
    if typezone is None and text(value["TYPEZONE"]):
        errors.add(
            number, columns["TYPEZONE"], f"type « {text(value['TYPEZONE'])} » inconnu (U, AUc, AUs, A, N)."
        )
    dates = {}
    for name in ("DATAPPRO", "DATVALID"):
        try:
            dates[name] = parse_date(value.get(name))
        except ValueError as error:
            errors.add(number, columns[name], f"date invalide « {error} » (attendu AAAAMMJJ).")
    return fields, typezone, dates


def read(path, layer=None, progress=no_progress):
    """Validate every feature, group polygons by key: (ZonePlu objects, summary) or ImportRejected."""
    frame = read_layer(path, layer, preferred=LAYER)
    columns = columns_for(frame, FIELDS, REQUIRED)
    errors, summary = FeatureErrors(), Summary()
    features, located = {}, {}
    with contextlib.suppress(TooManyErrors):
        geoms = storage_geometries(frame, errors)
        resolver = CommuneResolver()
        records = frame.drop(columns="geometry").to_dict("records")
        for number, record in enumerate(records, start=1):
            summary.read += 1
            if number % 500 == 0:
                progress(number, len(records))
            value = {name: record.get(column) for name, column in columns.items()}
            features[number] = _attributes(value, columns, number, errors)
            code = text(value.get("INSEE"))
            if code:
                try:
                    located[number] = resolver.from_code(code)
                except ValueError:
                    errors.add(number, columns["INSEE"], f"code commune invalide « {code} ».")
        if not errors:
            located.update(resolver.by_overlap({n: g for n, g in geoms.items() if n not in located}))
            _group(features, located, geoms, columns, errors, summary)
    errors.raise_if_any()
    progress(summary.read, summary.read)
    return summary.details.pop("zones"), summary


def _group(features, located, geoms, columns, errors, summary):
    zones, parts, first = {}, {}, {}
    for number, (fields, typezone, dates) in features.items():
        if located.get(number) is None:
            summary.skipped_outside += 1
            continue
        commune_id, insee = located[number]
        key = (fields["IDURBA"], fields["LIBELLE"], insee)
        if key in zones:
            if zones[key].typezone != typezone:
                errors.add(
                    number,
                    columns["TYPEZONE"],
                    f"« {typezone} » alors que l'entité {first[key]} de même IDURBA, LIBELLE et INSEE "
                    f"est en « {zones[key].typezone} ».",
                )
            parts[key].append(geoms[number])
            continue
        first[key], parts[key] = number, [geoms[number]]
        zones[key] = ZonePlu(
            idurba=fields["IDURBA"],
            libelle=fields["LIBELLE"],
            insee=insee,
            libelong=fields["LIBELONG"],
            typezone=typezone,
            destdomi=fields["DESTDOMI"],
            nomfic=fields["NOMFIC"],
            urlfic=fields["URLFIC"],
            datappro=dates["DATAPPRO"],
            datvalid=dates["DATVALID"],
            commune_id=commune_id,
        )
    for key, zone in zones.items():
        geom = as_multipolygon(shapely.union_all(parts[key])) if len(parts[key]) > 1 else parts[key][0]
        zone.geom, zone.surface_m2 = to_geos(geom), round(geom.area, 1)
    summary.details["zones"] = list(zones.values())


def import_file(path, layer=None, dry_run=False, progress=no_progress):
    zones, summary = read(path, layer, progress)
    keys = {(z.idurba, z.libelle, z.insee) for z in zones}
    documents = {(z.idurba, z.insee) for z in zones}
    in_documents = Q(pk__in=[])
    for idurba, insee in documents:
        in_documents |= Q(idurba=idurba, insee=insee)
    existing = set(ZonePlu.objects.filter(in_documents).values_list("idurba", "libelle", "insee", "pk"))
    stale = [pk for idurba, libelle, insee, pk in existing if (idurba, libelle, insee) not in keys]
    summary.updated = len(existing) - len(stale)
    summary.inserted = len(zones) - summary.updated
    summary.details["zones_supprimees"] = len(stale)
    if not dry_run:
        with transaction.atomic():
            ZonePlu.objects.filter(pk__in=stale).delete()
            ZonePlu.objects.bulk_create(
                zones,
                update_conflicts=True,
                unique_fields=["idurba", "libelle", "insee"],
                update_fields=[*UPDATED, "updated_at"],
                batch_size=500,
            )
            transaction.on_commit(schedule_recompute)
    return summary


@register
class ZonesPluImporter(Importer):
    kind = "zones_plu"
    label = "Zones des PLU/PLUi (standard CNIG, couche zone_urba : GeoJSON, GeoPackage, Shapefile zippé)"
    extensions = (".geojson", ".json", ".gpkg", ".zip")
    observatoire = "foncier"

    layer = None

    def run(self, path, *, dry_run=False, progress=no_progress, layer=None):
        return import_file(path, layer=layer or self.layer, dry_run=dry_run, progress=progress)
