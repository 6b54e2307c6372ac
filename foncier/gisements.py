"""Inventory of the gisements fonciers (the metropolis' own format), from GeoJSON, GeoPackage or Shapefile.

No national standard exists; the inventory is a polygon layer with these fields (names without
case; a Shapefile's ten-character truncation, e.g. ``potentiel_``, is accepted):

=====================  ===========  ==================================================================
field                  required     content
=====================  ===========  ==================================================================
``id_gisement``        yes          stable identifier in the inventory (re-import updates the row)
``type``               yes          dent creuse, friche, division parcellaire, extension
``insee``              no           code of the commune; empty: the commune holding most of the polygon
``nom``                no           name or address
``surface_m2``         no           area in m²; empty: computed from the polygon (Lambert-93)
``potentiel_logements`` no          dwellings the site could hold (integer)
``statut``             no           identifié (default), à l'étude, maîtrisé, projet, réalisé
``echeance``           no           court, moyen, long (terme)
=====================  ===========  ==================================================================

Features in communes outside the territory are skipped and counted; a file entirely outside is
refused naming the communes it covers. Rows absent from a new file are kept: an inventory may be
sent commune by commune. Reading (zips, 3D, encodings): ``docs/imports-couches-geographiques.md``.
"""

import contextlib

from django.db import transaction

from observatoire.imports.base import Importer, Summary, TooManyErrors, no_progress, register
from observatoire.imports.writing import upsert
from observatoire.territoires.locate import CommuneResolver, refuse_when_nowhere
from observatoire.territoires.vector_files import (
    FeatureErrors,
    columns_for,
    read_layer,
    storage_geometries,
    text,
    to_geos,
)

from .gisements_fichiers import plain
from .models import Echeance, Gisement, StatutGisement, TypeGisement
from .tasks import schedule_recompute

FIELDS = ["id_gisement", "type", "insee", "nom", "surface_m2", "potentiel_logements", "statut", "echeance"]
REQUIRED = ["id_gisement", "type"]
TYPES = {
    "dent creuse": TypeGisement.DENT_CREUSE,
    "friche": TypeGisement.FRICHE,
    "division parcellaire": TypeGisement.DIVISION,
    "division": TypeGisement.DIVISION,
    "extension": TypeGisement.EXTENSION,
    "extension urbaine": TypeGisement.EXTENSION,
}
STATUTS = {
    "": StatutGisement.IDENTIFIE,
    "identifie": StatutGisement.IDENTIFIE,
    "a l etude": StatutGisement.ETUDE,
    "etude": StatutGisement.ETUDE,
    "maitrise": StatutGisement.MAITRISE,
    "foncier maitrise": StatutGisement.MAITRISE,
    "projet": StatutGisement.PROJET,
    "projet engage": StatutGisement.PROJET,
    "en projet": StatutGisement.PROJET,
    "realise": StatutGisement.REALISE,
}
ECHEANCES = {"": "", "court": Echeance.COURT, "court terme": Echeance.COURT, "moyen": Echeance.MOYEN,
             "moyen terme": Echeance.MOYEN, "long": Echeance.LONG, "long terme": Echeance.LONG}  # fmt: skip
UPDATED = ["commune", "nom", "type", "surface_m2", "potentiel_logements", "statut", "echeance", "geom"]


def _choice(table, raw, column, number, errors):
    value = table.get(plain(raw))
    if value is None:
        errors.add(
            number,
            column,
            f"valeur « {text(raw)} » inconnue (attendu : {', '.join(sorted(set(table) - {''}))}).",
        )
    return value


def _number(raw, column, number, errors, integer=False):
    raw = text(raw).replace(",", ".").replace(" ", "")
    if not raw:
        return None
    try:
        value = float(raw)
        if value < 0 or (integer and not value.is_integer()):
            raise ValueError
    except ValueError:
        errors.add(number, column, f"nombre invalide « {raw} ».")
        return None
    return int(value) if integer else value


def read(path, layer=None, progress=no_progress):
    """Validate every feature: (Gisement objects, summary) or ImportRejected naming feature and field."""
    frame = read_layer(path, layer, command="import_gisements")
    columns = columns_for(frame, FIELDS, REQUIRED, command="import_gisements")
    errors, summary = FeatureErrors(), Summary()
    rows = {}
    with contextlib.suppress(TooManyErrors):
        geoms = storage_geometries(frame, errors)
        resolver = CommuneResolver()
        seen = {}
        records = frame.drop(columns="geometry").to_dict("records")
        for number, record in enumerate(records, start=1):
            summary.read += 1
            value = {name: record.get(column) for name, column in columns.items()}
            ident = text(value["id_gisement"])
            if not ident:
                errors.add(number, columns["id_gisement"], "identifiant vide.")
            elif ident in seen:
                errors.add(
                    number,
                    columns["id_gisement"],
                    f"identifiant « {ident} » déjà vu à l'entité {seen[ident]}.",
                )
            seen.setdefault(ident, number)
            gisement = Gisement(
                id_gisement=ident,
                nom=text(value.get("nom"))[:200],
                type=_choice(TYPES, value["type"], columns["type"], number, errors),
                statut=_choice(STATUTS, value.get("statut"), columns.get("statut"), number, errors),
                echeance=_choice(ECHEANCES, value.get("echeance"), columns.get("echeance"), number, errors),
                surface_m2=_number(value.get("surface_m2"), columns.get("surface_m2"), number, errors),
                potentiel_logements=_number(
                    value.get("potentiel_logements"), columns.get("potentiel_logements"), number, errors, True
                ),
            )
            resolver.declare(number, text(value.get("insee")), columns.get("insee"), errors)
            rows[number] = gisement
            if number % 500 == 0:
                progress(number, len(records))
        if not errors:
            resolver.locate_the_rest(geoms)
    errors.raise_if_any()
    resolver.note_outside(summary, rows, geoms)
    gisements = []
    for number, gisement in rows.items():
        if resolver.located.get(number) is None:
            continue
        gisement.commune_id = resolver.located[number][0]
        geom = geoms[number]
        gisement.geom = to_geos(geom)
        if gisement.surface_m2 is None:
            gisement.surface_m2 = round(geom.area, 1)
        gisements.append(gisement)
    refuse_when_nowhere(summary, len(gisements))
    progress(summary.read, summary.read)
    return gisements, summary


def import_file(path, layer=None, progress=no_progress):
    """Write the inventory (the caller's transaction makes a dry run of it); recompute when it changed."""
    gisements, summary = read(path, layer, progress)
    upsert(gisements, summary, keys=["id_gisement"], update_fields=UPDATED)
    if summary.changed:
        transaction.on_commit(schedule_recompute)
    return summary


@register
class GisementsImporter(Importer):
    kind = "gisements"
    label = "Gisements fonciers (inventaire métropolitain : GeoJSON, GeoPackage, Shapefile zippé)"
    extensions = (".geojson", ".json", ".gpkg", ".zip")
    observatoire = "foncier"

    layer = None

    def run(self, path, *, progress=no_progress, layer=None):
        return import_file(path, layer=layer or self.layer, progress=progress)
