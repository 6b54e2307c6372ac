"""Zones of the PLU/PLUi: the ZONE_URBA layer of the CNIG standard, from GeoJSON, GeoPackage or
Shapefile, plain or zipped as the Géoportail de l'Urbanisme (GPU) publishes a document.

Two generations of the CNIG standard for PLU (« Prescriptions nationales pour la dématérialisation
des documents d'urbanisme »; field lists of the IGN validator's models cnig_PLU_2014, cnig_PLU_2017),
told apart by their fields, any case:

- 2014 (v2013, v2014): LIBELLE C12, LIBELONG C254, TYPEZONE C3 (U, AUc, AUs, A, N, and Nh, Nd, Ah
  read as N, N, A), DESTDOMI C2, NOMFIC C80, URLFIC C254, INSEE C5 (the commune, required),
  DATAPPRO, DATVALID (AAAAMMJJ). No IDURBA: the document is named as the 2014 DOC_URBA names it,
  ``<INSEE>_<DATAPPRO>`` (the latest approval of the commune's zones).
- 2017 (v2017 to v2017d; v2024 adds SYMBOLE): IDURBA C30 (``<INSEE|SIREN>_<TYPEDOC>_<DATAPPRO>``),
  LIBELLE, LIBELONG, TYPEZONE (U, AUc, AUs, A, N), NOMFIC, URLFIC, DATVALID; no INSEE, so a PLUi's
  zone may span communes: it is cut along the commune boundaries (``zonage_communes``). DATAPPRO,
  absent, is read from IDURBA. An INSEE column some producers keep is used when filled.

Key: (IDURBA, LIBELLE, INSEE). The pieces of one key in one commune are one zone (their union). A
file is the whole document for the communes it covers: zones of the same (IDURBA, INSEE) absent from
it are deleted, and so are the zones of the other documents of those communes, which it replaces
(a revision, or a PLUi replacing communal PLUs) unless they are more recent.
"""

import contextlib
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from observatoire.imports.base import Importer, ImportRejected, Summary, TooManyErrors, no_progress, register
from observatoire.territoires.locate import CommuneResolver, refuse_when_nowhere
from observatoire.territoires.vector_files import (
    FeatureErrors,
    columns_for,
    read_layer,
    storage_geometries,
    text,
)

from .gisements_fichiers import parse_date
from .models import TypeZone, ZonePlu
from .tasks import schedule_recompute
from .zonage_communes import cut_by_commune

LAYER = "zone_urba"
COMMAND = "import_zones_plu"
FIELDS = ["LIBELLE", "LIBELONG", "TYPEZONE", "DESTDOMI", "NOMFIC", "URLFIC", "INSEE", "DATAPPRO", "DATVALID",
          "IDURBA", "SYMBOLE"]  # fmt: skip
TYPES = {value.lower(): value for value in TypeZone.values}
# The 2014 standard's sub-types of N and A (pastilles of the Alur law), kept in their family.
TYPES |= {"nh": TypeZone.N, "nd": TypeZone.N, "ah": TypeZone.A}
LIMITS = {"LIBELLE": 40, "LIBELONG": 254, "DESTDOMI": 2, "NOMFIC": 254, "URLFIC": 500, "IDURBA": 80}
UPDATED = ["libelong", "typezone", "destdomi", "nomfic", "urlfic", "datappro", "datvalid", "commune",
           "surface_m2", "geom"]  # fmt: skip
IDURBA_DATE = re.compile(r"_(\d{8})(?:_[A-Za-z0-9]+)?$")


@dataclass(frozen=True)
class Standard:
    label: str
    required: tuple


CNIG_2014 = Standard("standard CNIG 2014", ("LIBELLE", "TYPEZONE", "INSEE"))
CNIG_2017 = Standard("standard CNIG 2017", ("LIBELLE", "TYPEZONE", "IDURBA"))
CNIG_2024 = Standard("standard CNIG 2024", ("LIBELLE", "TYPEZONE", "IDURBA"))


@dataclass
class ZonesSummary(Summary):
    standard: str = ""
    layer: str = ""

    def __str__(self):
        text = f"Zonage au {self.standard} (couche {self.layer}) : {super().__str__()}"
        zones = self.inserted + self.updated
        if zones != self.read - self.skipped_outside:
            text += f" Entités découpées par commune et regroupées par libellé : {zones} zones."
        return text


def standard_of(frame):
    """The CNIG standard the layer follows, from its fields (IDURBA: 2017, INSEE alone: 2014)."""
    names = {str(name).upper() for name in frame.columns}
    if "IDURBA" in names:
        return CNIG_2024 if "SYMBOLE" in names else CNIG_2017
    if "INSEE" in names:
        return CNIG_2014
    columns_for(frame, FIELDS, ["LIBELLE", "TYPEZONE"], command=COMMAND)
    raise ImportRejected(
        "Champ(s) absent(s) : IDURBA (standard CNIG 2017) ou INSEE (standard CNIG 2014). Champs du "
        f"fichier : {', '.join(str(name) for name in frame.columns if name != 'geometry')}."
    )


def _attributes(value, columns, number, errors, standard):
    fields = {name: text(value.get(name)) for name in FIELDS}
    for name, limit in LIMITS.items():
        if len(fields[name]) > limit:
            errors.add(number, columns[name], f"{len(fields[name])} caractères, {limit} au plus.")
    for name in standard.required:
        if not fields[name]:
            errors.add(number, columns[name], "valeur vide.")
    typezone = TYPES.get(fields["TYPEZONE"].lower())
    if typezone is None and fields["TYPEZONE"]:
        errors.add(
            number,
            columns["TYPEZONE"],
            f"type « {fields['TYPEZONE']} » inconnu (U, AUc, AUs, A, N ; Nh, Nd, Ah au standard 2014).",
        )
    dates = {}
    for name in ("DATAPPRO", "DATVALID"):
        try:
            dates[name] = parse_date(value.get(name))
        except ValueError as error:
            errors.add(number, columns[name], f"date invalide « {error} » (attendu AAAAMMJJ).")
    if dates.get("DATAPPRO") is None and (found := IDURBA_DATE.search(fields["IDURBA"])):
        with contextlib.suppress(ValueError):
            dates["DATAPPRO"] = parse_date(found.group(1))
    return fields, typezone, dates


def _name_2014_documents(features):
    """The 2014 standard has no IDURBA: ``<INSEE>_<DATAPPRO>``, the commune's latest approval."""
    latest = {}
    for fields, _, dates in features.values():
        code, date = fields["INSEE"], dates.get("DATAPPRO")
        if date and (latest.get(code) is None or date > latest[code]):
            latest[code] = date
        latest.setdefault(code, None)
    for fields, _, _ in features.values():
        code = fields["INSEE"]
        fields["IDURBA"] = f"{code}_{latest[code]:%Y%m%d}" if latest[code] else code


def read(path, layer=None, progress=no_progress):
    """Validate every feature, cut and group them by key: (ZonePlu objects, summary) or ImportRejected."""
    frame = read_layer(path, layer, preferred=LAYER, command=COMMAND)
    standard = standard_of(frame)
    columns = columns_for(frame, FIELDS, standard.required, command=COMMAND)
    errors = FeatureErrors()
    summary = ZonesSummary(standard=standard.label, layer=frame.attrs["layer"])
    features, zones = {}, []
    with contextlib.suppress(TooManyErrors):
        geoms = storage_geometries(frame, errors)
        resolver = CommuneResolver()
        records = frame.drop(columns="geometry").to_dict("records")
        for number, record in enumerate(records, start=1):
            summary.read += 1
            value = {name: record.get(column) for name, column in columns.items()}
            fields, typezone, dates = _attributes(value, columns, number, errors, standard)
            fields["INSEE"] = resolver.declare(number, fields["INSEE"], columns.get("INSEE"), errors)
            features[number] = fields, typezone, dates
            if number % 500 == 0:
                progress(number, len(records))
        if standard is CNIG_2014 and not errors:
            _name_2014_documents(features)
        if not errors:
            zones = _cut(features, resolver, geoms, columns, errors, summary)
    errors.raise_if_any()
    refuse_when_nowhere(summary, len(zones))
    progress(summary.read, summary.read)
    return zones, summary


def _cut(features, resolver, geoms, columns, errors, summary):
    """Cut the features in the territory along the communes; the others are counted outside."""
    located, declared = resolver.located, resolver.declared
    inside = []
    for n, (fields, _, _) in features.items():
        if n in geoms and (not declared[n] or located.get(n)):
            commune_id, code = located.get(n) or (None, None)
            inside.append((n, fields["IDURBA"], fields["LIBELLE"], code, commune_id, geoms[n]))
    cuts = cut_by_commune(inside)
    placed = {n for cut in cuts for n in cut.numbers}
    for n, *_ in inside:
        if declared[n] and n not in placed:
            errors.add(
                n, columns["INSEE"], f"la zone ne recoupe pas la commune {declared[n]} qu'indique le fichier."
            )
    resolver.note_outside(summary, [n for n in features if n not in placed], geoms)
    zones = []
    for cut in cuts:
        first = cut.numbers[0]
        fields, typezone, dates = features[first]
        for n in cut.numbers[1:]:
            if features[n][1] != typezone:
                errors.add(
                    n,
                    columns["TYPEZONE"],
                    f"« {features[n][1]} » alors que l'entité {first} de même IDURBA, LIBELLE et INSEE "
                    f"est en « {typezone} ».",
                )
        zones.append(
            ZonePlu(
                idurba=cut.idurba,
                libelle=cut.libelle,
                insee=cut.insee,
                libelong=fields["LIBELONG"],
                typezone=typezone,
                destdomi=fields["DESTDOMI"],
                nomfic=fields["NOMFIC"],
                urlfic=fields["URLFIC"],
                datappro=dates.get("DATAPPRO"),
                datvalid=dates.get("DATVALID"),
                commune_id=cut.commune_id,
                geom=cut.geom,
                surface_m2=cut.surface_m2,
            )
        )
    return zones


def superseded(zones, summary):
    """Primary keys of the stored zones of other documents in the communes the file covers.

    One urban-planning document is in force in a commune: a revised PLU, or the PLUi that replaces the
    communal PLUs, has a new IDURBA, and the zones of the document it replaces must go or the commune
    would count both. A file older than the document stored for a commune is refused, so importing an
    archived version never wipes out the one in force.
    """
    approved = {}
    for z in zones:
        approved[z.insee] = max(filter(None, (approved.get(z.insee), z.datappro)), default=None)
    idurbas = {z.idurba for z in zones}
    others = ZonePlu.objects.filter(insee__in=approved).exclude(idurba__in=idurbas)
    newer = sorted(
        {
            (insee, idurba, datappro)
            for insee, idurba, datappro in others.values_list("insee", "idurba", "datappro")
            if datappro and approved[insee] and datappro > approved[insee]
        }
    )
    if newer:
        raise ImportRejected(
            "Un document d'urbanisme plus récent que celui du fichier est déjà chargé pour "
            f"{len({insee for insee, _, _ in newer})} commune(s) : rien n'a été importé. Le fichier est "
            "une version antérieure ; supprimez d'abord le document en vigueur si c'est voulu.",
            [f"{insee} : {idurba} approuvé le {datappro:%d/%m/%Y}, plus récent que le fichier "
             f"(approuvé le {approved[insee]:%d/%m/%Y})" for insee, idurba, datappro in newer],
        )  # fmt: skip
    replaced = list(others.values_list("pk", flat=True))
    if replaced:
        names = ", ".join(sorted(set(others.values_list("idurba", flat=True))))
        communes = others.values("insee").distinct().count()
        summary.warnings.append(
            f"Le document du fichier remplace {names} dans {communes} commune(s) : "
            f"{len(replaced)} zone(s) de l'ancien document supprimée(s)."
        )
    summary.details["zones_remplacees"] = len(replaced)
    return replaced


def import_file(path, layer=None, progress=no_progress):
    """Write the zones (the caller's transaction makes a dry run of it); recompute when they changed."""
    zones, summary = read(path, layer, progress)
    replaced = superseded(zones, summary)
    keys = {(z.idurba, z.libelle, z.insee) for z in zones}
    in_documents = Q(pk__in=[])
    for idurba, insee in {(z.idurba, z.insee) for z in zones}:
        in_documents |= Q(idurba=idurba, insee=insee)
    existing = set(ZonePlu.objects.filter(in_documents).values_list("idurba", "libelle", "insee", "pk"))
    stale = [pk for idurba, libelle, insee, pk in existing if (idurba, libelle, insee) not in keys]
    summary.updated = len(existing) - len(stale)
    summary.inserted = len(zones) - summary.updated
    summary.details["zones_supprimees"] = len(stale)
    with transaction.atomic():  # one step for callers outside ``execute`` (the demo data)
        ZonePlu.objects.filter(pk__in=[*stale, *replaced]).delete()
        ZonePlu.objects.bulk_create(
            zones,
            update_conflicts=True,
            unique_fields=["idurba", "libelle", "insee"],
            update_fields=[*UPDATED, "updated_at"],
            batch_size=500,
        )
    summary.details["standard"] = summary.standard
    if summary.changed or stale or replaced:
        transaction.on_commit(schedule_recompute)
    return summary


@register
class ZonesPluImporter(Importer):
    kind = "zones_plu"
    label = (
        "Zones des PLU/PLUi (standard CNIG 2014 ou 2017, couche ZONE_URBA : GeoJSON, GeoPackage, Shapefile, "
        "archive du Géoportail de l'Urbanisme)"
    )
    extensions = (".geojson", ".json", ".gpkg", ".zip")
    observatoire = "foncier"

    layer = None

    def run(self, path, *, progress=no_progress, layer=None):
        return import_file(path, layer=layer or self.layer, progress=progress)
