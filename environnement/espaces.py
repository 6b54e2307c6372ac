"""Protected and natural areas as the INPN (PatriNat, MNHN) publishes its layers, one type per file.

Formats: GeoJSON (EPSG:4326, or EPSG:3857 with its ``crs`` member as the WFS of ws.carmencarto.fr
writes it), GeoPackage, Shapefile (Lambert-93, ``.prj``), plain or zipped, 2D or 3D: the reading of
``observatoire.territoires.vector_files``. The fields differ by layer, matched without case:

=====================  ===========================  ============================================
layer                  identifier                   name
=====================  ===========================  ============================================
ZNIEFF I and II        ``ID_MNHN`` (``NM_SFFZN``)   ``NOM`` (``NOM_SITE`` on the WFS, ``LB_ZN``)
Natura 2000 SIC/ZSC    ``SITECODE``                 ``SITENAME`` (``SITE_NAME``)
and ZPS                (``cd_sig`` of natura_sig)   (none in natura_sig: the site code)
parcs nationaux,       ``ID_MNHN`` (``ID_LOCAL``)   ``NOM_SITE`` (``NOM`` on API Carto)
PNR, réserves
naturelles
=====================  ===========================  ============================================

The type comes from ``--type``, else from the attributes (``CODE_R_ENP`` of the espaces protégés
layers: CPN/AAPN parc national, PNR, RNN/RNR/RNC réserve naturelle; ``SITETYPE`` of the European
Natura 2000 table: A ZPS, B SIC, C both; ``type_espac`` SIC/ZPS of the INPN's single Natura 2000 layer
``natura_sig`` since 12/2024, whose ``cd_sig`` « I098FR5312003 » gives the site code FR5312003;
``TY_ZONE`` 1/2 of the ZNIEFF base), else from the names of
the file and its layer (``znieff1``, ``zps1810``, ``sic``, ``N_ENP_PNR_S_000``,
``patrinat_znieff2:znieff2``…). The millésime from ``--millesime``, else a year in those names
(``znieff1_2024``, ``INPN_08_2024/…``, ``zps1810`` = October 2018), else the command refuses the
file asking for it. The admin's upload offers one kind per type (``espaces_naturels:znieff1``…): the
file reaches the worker under a temporary name, so the type is the one chosen and, without a year in
the layer's or the archive's member names, the millésime is the current year (said in a warning).

Rules:
- An aire d'adhésion de parc national (``CODE_R_ENP`` AAPN, ``zone`` « aire d'adhésion ») is not a
  protected area: left out and counted; only the cœur is kept.
- Features of one identifier (a site cut in several rows) are merged into one MultiPolygon.
- Invalid polygons are repaired (GEOS MakeValid, PostGIS's ST_MakeValid) and counted.
- Only areas intersecting the territory are kept (PostGIS); a file entirely elsewhere is refused
  naming where it lies.
- Upsert on (type, identifiant). A file is the whole layer of its type: areas of that type absent
  from it are deleted (a site declassified or merged disappears), unless ``--complement`` says the
  file only adds sites. The communes' coverage is then recomputed in the same transaction.
"""

import contextlib
import re
from datetime import date
from pathlib import Path

import shapely
from django.db import transaction

from observatoire.core.textsearch import fold_accents
from observatoire.imports.base import Importer, ImportRejected, Summary, TooManyErrors, no_progress, register
from observatoire.imports.writing import upsert
from observatoire.territoires.locate import in_territory, note_outside, refuse_when_nowhere
from observatoire.territoires.vector_files import (
    FeatureErrors,
    as_multipolygon,
    read_layer,
    storage_geometries,
    text,
    to_geos,
)

from .couverture import recompute_couverture
from .enums import TypeEspace
from .models import EspaceNaturel
from .tasks import schedule_recompute

COMMAND = "import_espaces_naturels"
ZNIEFF = (TypeEspace.ZNIEFF1, TypeEspace.ZNIEFF2)
NATURA = (TypeEspace.NATURA_SIC, TypeEspace.NATURA_ZPS)
# Identifier and name fields by type, in order of preference (INPN download, WFS, API Carto, base ZNIEFF).
ID_FIELDS = {
    **dict.fromkeys(ZNIEFF, ("ID_MNHN", "NM_SFFZN")),
    **dict.fromkeys(NATURA, ("SITECODE", "CD_SIG")),
}
NAME_FIELDS = {
    **dict.fromkeys(ZNIEFF, ("NOM", "NOM_SITE", "LB_ZN")),
    **dict.fromkeys(NATURA, ("SITENAME", "SITE_NAME", "NOM_SITE", "NOM")),
}
ENP_ID_FIELDS = ("ID_MNHN", "ID_LOCAL")
ENP_NAME_FIELDS = ("NOM_SITE", "NOM")
# CODE_R_ENP of the espaces protégés layers (N_ENP_*_S_000).
CODES_ENP = {
    "CPN": TypeEspace.PARC_NATIONAL,
    "AAPN": TypeEspace.PARC_NATIONAL,
    "PNR": TypeEspace.PNR,
    "RNN": TypeEspace.RESERVE_NATURELLE,
    "RNR": TypeEspace.RESERVE_NATURELLE,
    "RNC": TypeEspace.RESERVE_NATURELLE,
}
SITETYPES = {
    "A": {TypeEspace.NATURA_ZPS},
    "B": {TypeEspace.NATURA_SIC},
    "C": {TypeEspace.NATURA_SIC, TypeEspace.NATURA_ZPS},
}
TY_ZONES = {"1": TypeEspace.ZNIEFF1, "2": TypeEspace.ZNIEFF2}
# INPN's single Natura 2000 layer since 12/2024 (NATURA_BDD_122024/SIG_NATURA/natura_sig.shp): two
# fields, ``cd_sig`` (« I098 » + the site code: I098FR5312003) and ``type_espac`` (SIC or ZPS); the
# names are in the base's table ``biotop.csv``, not in the layer (the site code then stands for it).
TYPES_ESPAC = {
    "SIC": {TypeEspace.NATURA_SIC},
    "PSIC": {TypeEspace.NATURA_SIC},
    "ZSC": {TypeEspace.NATURA_SIC},
    "ZPS": {TypeEspace.NATURA_ZPS},
}
CD_SIG = re.compile(r"^I\d{3}(?=FR)", re.IGNORECASE)
# Names of the producers' layers and files (normalised: lower case, no accents, spaces).
NAME_PATTERNS = [
    (TypeEspace.ZNIEFF1, r"\bznieff ?(1|i|type ?(1|i))\b"),
    (TypeEspace.ZNIEFF2, r"\bznieff ?(2|ii|type ?(2|ii))\b"),
    (TypeEspace.NATURA_ZPS, r"\bzps\d*\b|directive oiseaux"),
    (TypeEspace.NATURA_SIC, r"\b(p?sic|zsc)\d*\b|directive habitats"),
    (TypeEspace.PNR, r"\bpnr\b|parcs? naturels? regionaux?"),
    (TypeEspace.PARC_NATIONAL, r"\bpn\b|parcs? nationa(l|ux)"),
    (TypeEspace.RESERVE_NATURELLE, r"\b(rnn|rnr|rnc)\b|reserves? naturelles?"),
]
FIRST_YEAR = 1980  # the first ZNIEFF inventory


def plain(value):
    """« N_ENP_PNR_S_000 » → « n enp pnr s 000 »; « Réserves » → « reserves »."""
    value = fold_accents(str(value)).lower()
    return " ".join(re.split(r"[^a-z0-9]+", value)).strip()


def choices_text():
    return ", ".join(f"{value} ({label})" for value, label in TypeEspace.choices)


def parse_type(raw):
    """The type given by a person (« znieff1 », « ZNIEFF1 »…); ImportRejected listing the choices."""
    wanted = plain(raw).replace(" ", "_")
    for value in TypeEspace.values:
        if wanted == value:
            return TypeEspace(value)
    raise ImportRejected(f"Type d'espace « {raw} » inconnu : types possibles : {choices_text()}.")


def types_named(*names):
    """The types the file's or layer's names point to (empty when none or several disagree)."""
    for name in names:
        found = {kind for kind, pattern in NAME_PATTERNS if re.search(pattern, plain(name))}
        if len(found) == 1:
            return found
    return set()


def millesime_named(*names):
    """The year in the layer's or the file's name: « znieff1_2024 », « INPN_08_2024 », « 20240115 »,
    « zps1810 » (INPN's Natura 2000 layers named by year and month: October 2018)."""
    latest = date.today().year + 1
    for name in names:
        normalised = re.sub(r"\b(natura ?2000|n2000)\b", "natura", plain(name))  # not a year
        years = [int(y) for y in re.findall(r"(?<!\d)(19[89]\d|20\d\d)(?:[01]\d[0-3]\d)?(?!\d)", normalised)]
        years = [year for year in years if FIRST_YEAR <= year <= latest]
        if years:
            return max(years)
        found = re.search(r"\b(?:p?sic|zsc|zps)(\d\d)(0[1-9]|1[0-2])\b", normalised)
        if found:
            return 2000 + int(found.group(1))
    return None


def parse_millesime(raw):
    latest = date.today().year + 1
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = None
    if value is None or not FIRST_YEAR <= value <= latest:
        raise ImportRejected(
            f"Millésime « {raw} » invalide : une année entre {FIRST_YEAR} et {latest} attendue."
        )
    return value


class Layer:
    """The file's features with the columns that matter, and what each feature's attributes say."""

    def __init__(self, frame, path):
        self.frame = frame
        self.names = (frame.attrs.get("layer", ""), Path(path).name)
        self.columns = {str(c).lower(): c for c in frame.columns if c != "geometry"}
        self.records = frame.drop(columns="geometry").to_dict("records")

    def column(self, *candidates):
        for name in candidates:
            if name.lower() in self.columns:
                return self.columns[name.lower()]
        return None

    def value(self, record, column):
        return text(record[column]) if column else ""

    def feature_types(self, record):
        """The types this feature's attributes say (None: they say nothing), and whether it is an
        aire d'adhésion de parc national."""
        code = self.value(record, self.column("CODE_R_ENP")).upper()
        zone = plain(self.value(record, self.column("ZONE")))
        adhesion = code == "AAPN" or "adhesion" in zone
        if code:
            return ({CODES_ENP[code]} if code in CODES_ENP else set()), adhesion
        sitetype = self.value(record, self.column("SITETYPE")).upper()
        if sitetype:
            return SITETYPES.get(sitetype, set()), adhesion
        type_espac = self.value(record, self.column("TYPE_ESPAC")).upper()
        if type_espac:
            return TYPES_ESPAC.get(type_espac, set()), adhesion
        ty_zone = self.value(record, self.column("TY_ZONE"))
        if ty_zone:
            return ({TY_ZONES[ty_zone]} if ty_zone in TY_ZONES else set()), adhesion
        return None, adhesion


def choose_type(layer, given):
    """The file's type: given, else the one every feature's attributes allow, else the names'."""
    if given:
        return given
    said = [types for types, _ in map(layer.feature_types, layer.records) if types is not None]
    candidates = set.intersection(*said) if said else set(TypeEspace)
    if len(candidates) > 1:
        candidates &= types_named(*layer.names) or candidates
    if len(candidates) == 1:
        return candidates.pop()
    where = " ou ".join(f"« {name} »" for name in layer.names if name)
    why = (
        "ses entités sont de plusieurs types"
        if said and not candidates
        else f"ni les attributs ni le nom ({where}) ne le disent"
    )
    raise ImportRejected(
        f"Type d'espace du fichier introuvable : {why}. Précisez-le (option --type) parmi : "
        f"{choices_text()}. Rien n'a été importé."
    )


def choose_millesime(layer, given):
    if given:
        return given
    found = millesime_named(*layer.names)
    if found is None:
        where = " ou ".join(f"« {name} »" for name in layer.names if name)
        raise ImportRejected(
            f"Millésime de la couche introuvable : aucune année dans le nom du fichier ou de la couche "
            f"({where}). Précisez-le (option --millesime AAAA). Rien n'a été importé."
        )
    return found


def key_columns(layer, kind):
    """(identifier column, name column) of the layer for its type; ImportRejected when missing."""
    ids = ID_FIELDS.get(kind, ENP_ID_FIELDS)
    names = NAME_FIELDS.get(kind, ENP_NAME_FIELDS)
    found = layer.column(*ids), layer.column(*names)
    if found[1] is None and found[0] is not None and found[0].upper() == "CD_SIG":
        found = found[0], found[0]  # natura_sig: no name field, the site code stands for the name
    missing = [
        " ou ".join(wanted) for wanted, column in zip((ids, names), found, strict=True) if column is None
    ]
    if missing:
        raise ImportRejected(
            f"Champ(s) absent(s) pour une couche « {TypeEspace(kind).label} » : {', '.join(missing)}. "
            f"Champs du fichier : {', '.join(map(str, layer.columns.values()))}. Rien n'a été importé."
        )
    return found


def validate(layer, kind, summary, progress):
    """Feature number → (identifiant, nom) of the features of the type; geometries; errors raised."""
    errors, repaired = FeatureErrors(), []
    id_column, name_column = key_columns(layer, kind)
    kept, set_aside = {}, {"aires_adhesion": 0, "autres_types": 0}
    total = len(layer.records)
    with contextlib.suppress(TooManyErrors):
        geoms = storage_geometries(layer.frame, errors, repaired)
        for number, record in enumerate(layer.records, start=1):
            summary.read += 1
            types, adhesion = layer.feature_types(record)
            if adhesion:
                set_aside["aires_adhesion"] += 1
                continue
            if types is not None and kind not in types:
                set_aside["autres_types"] += 1
                continue
            identifiant, nom = layer.value(record, id_column), layer.value(record, name_column)
            if id_column.upper() == "CD_SIG":
                identifiant = CD_SIG.sub("", identifiant)
                nom = identifiant if name_column == id_column else nom
            if not identifiant:
                errors.add(number, id_column, "identifiant vide.")
            elif len(identifiant) > 40:
                errors.add(number, id_column, f"identifiant « {identifiant[:50]} » de plus de 40 caractères.")
            if not nom:
                errors.add(number, name_column, "nom vide.")
            kept[number] = (identifiant, nom[:300])
            if number % 500 == 0:
                progress(number // 2, total)
    errors.raise_if_any()
    return kept, {n: g for n, g in geoms.items() if n in kept}, sorted(set(repaired) & set(kept)), set_aside


def merge_sites(kept, geoms, inside, kind, millesime):
    """One EspaceNaturel per identifier, its features' polygons merged; the count of merged parts."""
    parts = {}
    for number in sorted(inside):
        identifiant, nom = kept[number]
        parts.setdefault(identifiant, (nom, []))[1].append(geoms[number])
    espaces = [
        EspaceNaturel(
            type=kind,
            identifiant=identifiant,
            nom=nom,
            millesime=millesime,
            geom=to_geos(as_multipolygon(shapely.union_all(polygons) if len(polygons) > 1 else polygons[0])),
        )
        for identifiant, (nom, polygons) in parts.items()
    ]
    return espaces, len(inside) - len(parts)


def import_layer(
    path, *, kind=None, millesime=None, layer=None, complement=False, current_year=False,
    progress=no_progress,
):  # fmt: skip
    """Read, validate, keep what meets the territory, upsert, delete what the layer no longer has,
    recompute the coverage; the summary (execute() rolls back a dry run and refuses a file of
    elsewhere)."""
    source = Layer(read_layer(path, layer, command=COMMAND), path)
    kind = choose_type(source, kind)
    summary = Summary()
    if millesime is None and current_year and millesime_named(*source.names) is None:
        millesime = date.today().year
        summary.warnings.append(
            f"Aucune année dans le nom du fichier ou de la couche : millésime {millesime} (l'année en cours) "
            "retenu ; la commande import_espaces_naturels --millesime permet d'en donner un autre."
        )
    millesime = choose_millesime(source, millesime)
    kept, geoms, repaired, set_aside = validate(source, kind, summary, progress)
    if not kept:
        raise ImportRejected(
            f"Aucune entité de type « {TypeEspace(kind).label} » dans le fichier : "
            f"{set_aside['autres_types']} d'un autre type (attributs CODE_R_ENP, SITETYPE, TYPE_ESPAC "
            "ou TY_ZONE), "
            f"{set_aside['aires_adhesion']} "
            "aire(s) d'adhésion de parc national. Rien n'a été importé."
        )
    inside = in_territory(geoms)
    note_outside(summary, {n: "" for n in geoms if n not in inside}, geoms)
    espaces, merged = merge_sites(kept, geoms, inside, kind, millesime)
    refuse_when_nowhere(summary, len(espaces))
    summary.details.update(type=kind, millesime=millesime, geometries_reparees=len(repaired), **set_aside)
    describe(summary, kind, repaired, set_aside, merged)
    if not espaces:
        return summary  # all of it elsewhere: execute() refuses it, naming where
    with transaction.atomic():
        upsert(espaces, summary, keys=["type", "identifiant"], update_fields=["nom", "millesime", "geom"])
        deleted = 0
        if not complement:
            listed = [espace.identifiant for espace in espaces]
            deleted, _ = EspaceNaturel.objects.filter(type=kind).exclude(identifiant__in=listed).delete()
        summary.details.update(supprimes=deleted, couvertures=recompute_couverture())
        transaction.on_commit(schedule_recompute)
    if deleted:
        summary.warnings.append(
            f"{deleted} espace(s) « {TypeEspace(kind).label} » absent(s) de cette couche : supprimé(s) "
            "(la couche remplace la précédente ; option --complement pour seulement ajouter des sites)."
        )
    progress(summary.read, summary.read)
    return summary


def describe(summary, kind, repaired, set_aside, merged):
    if repaired:
        shown = ", ".join(map(str, repaired[:10])) + (" …" if len(repaired) > 10 else "")
        summary.warnings.append(f"{len(repaired)} géométrie(s) invalide(s) réparée(s) (entités {shown}).")
    if set_aside["aires_adhesion"]:
        summary.warnings.append(
            f"{set_aside['aires_adhesion']} aire(s) d'adhésion de parc national écartée(s) : seul le cœur "
            "est un espace protégé."
        )
    if set_aside["autres_types"]:
        summary.warnings.append(
            f"{set_aside['autres_types']} entité(s) d'un autre type que « {TypeEspace(kind).label} » "
            "écartée(s) (attributs CODE_R_ENP, SITETYPE, TYPE_ESPAC ou TY_ZONE)."
        )
    if merged:
        summary.details["parties_reunies"] = merged
        summary.warnings.append(
            f"{merged} entité(s) réunie(s) au site de même identifiant (sites en plusieurs parties)."
        )


@register
class EspacesNaturelsImporter(Importer):
    kind = "espaces_naturels"
    label = "Espaces naturels protégés et inventoriés (INPN : ZNIEFF, Natura 2000, parcs, réserves)"
    extensions = (".geojson", ".json", ".gpkg", ".zip")
    observatoire = "environnement"
    plain_label = f"{label} : type et millésime lus dans la couche ou son nom"

    def __init__(self, kind=None, millesime=None, layer=None, complement=False, current_year=False):
        self.type, self.millesime, self.layer, self.complement = kind, millesime, layer, complement
        self.current_year = current_year

    def variants(self):
        """The admin's upload offers one kind per type too, for a layer whose attributes and name do
        not say it."""
        return [(value, f"{self.label} : {label}") for value, label in TypeEspace.choices]

    def variant(self, suffix):
        if suffix not in TypeEspace.values:
            raise KeyError(suffix)
        # No option to give the millésime there: a year in the layer's or the archive's names, else
        # the current year (the layer just downloaded is the current one), said in a warning.
        return EspacesNaturelsImporter(TypeEspace(suffix), current_year=True)

    def run(self, path, *, progress=no_progress):
        return import_layer(
            path,
            kind=self.type,
            millesime=self.millesime,
            layer=self.layer,
            complement=self.complement,
            current_year=self.current_year,
            progress=progress,
        )
