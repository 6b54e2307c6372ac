"""Importing the assets of one report category (street lights, bins, trees, hydrants…) from their
owner's inventory: GeoJSON, GeoPackage, Shapefile or CSV (see ``fichiers``).

- Every row is validated before anything is written; errors name the line (CSV) or the feature
  (vector file) and the column, and a file with any error changes nothing.
- The commune of each asset is found by PostGIS (the territory's boundaries, one query); assets
  outside the territory are counted and left out, a file entirely outside is refused naming where it
  lies (``observatoire.imports.base.check_territory``).
- Upsert on (category, identifiant): a re-import updates, never duplicates. An inventory is the whole
  list of its communes: an asset of the category in a commune the file covers, and absent from the
  file, is **deactivated** (kept, so that reports pointing at it keep their link; hidden from the
  map and refused at filing). A file of Marseille's lights leaves Aix's alone.
"""

import contextlib

from django.conf import settings
from django.db import connection, transaction

from observatoire.imports.base import Importer, ImportRejected, Summary, TooManyErrors, no_progress, register
from observatoire.imports.writing import upsert
from observatoire.territoires.locate import note_outside, refuse_when_nowhere
from observatoire.territoires.vector_files import to_geos

from ..models import Categorie
from .fichiers import read
from .models import Actif

UPDATED = ["nature", "libelle", "commune", "geom", "proprietes", "source", "is_active"]
MAX_PROPRIETES = 30  # columns kept as they are in ``proprietes``, for the agents


def categorie_for(code):
    if not code:
        raise ImportRejected(
            "Indiquez la catégorie des équipements : option --categorie CODE de la commande, ou le type "
            "« Équipements des signalements : <catégorie> » de l'import en ligne. Rien n'a été importé."
        )
    categorie = Categorie.objects.filter(code=code, parent__isnull=True).first()
    if categorie is None:
        known = ", ".join(Categorie.objects.filter(parent__isnull=True).values_list("code", flat=True))
        raise ImportRejected(f"Catégorie « {code} » inconnue (catégories : {known or 'aucune'}).")
    return categorie


def validate(inventory, categorie, summary):
    """The Actif objects of the file, in the territory; errors go to ``inventory.errors``."""
    errors, seen, kept = inventory.errors, {}, {}
    column = inventory.columns["identifiant"]
    with contextlib.suppress(TooManyErrors):
        for number in inventory.rows:
            summary.read += 1
            identifiant = inventory.value(number, "identifiant")
            if not identifiant:
                errors.add(number, column, "identifiant vide.")
            elif len(identifiant) > 100:
                errors.add(number, column, "identifiant de plus de 100 caractères.")
            elif identifiant in seen:
                seen_at = f"ligne ou entité {seen[identifiant]}"
                errors.add(number, column, f"identifiant « {identifiant} » déjà vu ({seen_at}).")
            seen.setdefault(identifiant, number)
            if number in inventory.points:
                kept[number] = Actif(
                    categorie=categorie,
                    identifiant=identifiant,
                    nature=inventory.value(number, "nature")[:100],
                    libelle=inventory.value(number, "libelle")[:200],
                    proprietes=dict(list(inventory.rows[number].items())[:MAX_PROPRIETES]),
                    source=inventory.label[:200],
                    is_active=True,
                )
    errors.raise_if_any()
    return kept


def import_file(path, categorie_code, *, identifiant=None, progress=no_progress):
    """Read, validate, locate, upsert, deactivate what the file no longer lists; return the summary."""
    inventory = read(path, identifiant)  # first: a wrong file is told as such, whatever the category
    categorie = categorie_for(categorie_code)
    summary = Summary()
    actifs = validate(inventory, categorie, summary)
    progress(summary.read // 2, summary.read)
    located = communes_of_points(inventory.points)
    outside = [n for n in actifs if n not in located]
    note_outside(summary, dict.fromkeys(outside, ""), inventory.points)
    if outside:
        shown = ", ".join(str(n) for n in outside[:10]) + (" …" if len(outside) > 10 else "")
        summary.warnings.append(f"{len(outside)} équipement(s) hors du territoire, non importé(s) : {shown}.")
    kept = []
    for number, actif in actifs.items():
        if number in located:
            actif.commune_id = located[number][0]
            actif.geom = to_geos(inventory.points[number])
            kept.append(actif)
    refuse_when_nowhere(summary, len(kept))
    with transaction.atomic():
        upsert(kept, summary, keys=["categorie", "identifiant"], update_fields=UPDATED)
        deactivated = deactivate_missing(categorie, kept)
    summary.details.update(categorie=categorie.code, desactivees=deactivated)
    if deactivated:
        summary.warnings.append(
            f"{deactivated} équipement(s) de ces communes absent(s) du fichier : désactivé(s) (plus proposés "
            "sur la carte ; les signalements qui les visent gardent leur lien)."
        )
    progress(summary.read, summary.read)
    return summary


def communes_of_points(points):
    """Feature number → (commune id, INSEE code) of the territory's commune holding the point, in one
    query. Not ``CommuneResolver.by_overlap``: it ranks the communes by the area of their intersection,
    which is zero for a point and costs an intersection with each boundary (Marseille's is large)."""
    if not points:
        return {}
    numbers = list(points)
    sql = """
        SELECT DISTINCT ON (f.n) f.n, c.id, c.insee
        FROM unnest(%s::int[], %s::float8[], %s::float8[]) AS f(n, x, y)
        JOIN territoires_commune c
          ON c.epci_id IS NOT NULL AND ST_Intersects(c.geom, ST_SetSRID(ST_MakePoint(f.x, f.y), %s))
        ORDER BY f.n, c.id
    """
    xs = [points[n].x for n in numbers]
    ys = [points[n].y for n in numbers]
    with connection.cursor() as cursor:
        cursor.execute(sql, [numbers, xs, ys, settings.STORAGE_SRID])
        return {n: (commune, insee) for n, commune, insee in cursor.fetchall()}


def deactivate_missing(categorie, kept):
    """Assets of the category in the file's communes that the file no longer lists: deactivated."""
    communes = {actif.commune_id for actif in kept}
    listed = [actif.identifiant for actif in kept]
    return (
        Actif.objects.filter(categorie=categorie, commune_id__in=communes, is_active=True)
        .exclude(identifiant__in=listed)
        .update(is_active=False)
    )


@register
class ActifsImporter(Importer):
    """One kind per category in the admin (``actifs:<code>``), built by ``variant``."""

    kind = "actifs"
    label = "Équipements des signalements"
    extensions = (".geojson", ".json", ".gpkg", ".csv", ".txt", ".zip")
    observatoire = "signalements"

    def __init__(self, categorie_code=None, identifiant=None, label=None):
        self.categorie_code = categorie_code
        self.identifiant = identifiant
        self.label = label or self.label

    def variants(self):
        categories = Categorie.objects.filter(parent__isnull=True, is_active=True)
        return [(code, self._label_of(nom)) for code, nom in categories.values_list("code", "nom")]

    def variant(self, code):
        nom = Categorie.objects.filter(code=code, parent__isnull=True).values_list("nom", flat=True).first()
        return ActifsImporter(code, self.identifiant, self._label_of(nom or code))

    @classmethod
    def _label_of(cls, nom):
        return f"{cls.label} : {nom} (GeoJSON, GeoPackage, Shapefile zippé, CSV)"

    def run(self, path, *, progress=no_progress):
        return import_file(path, self.categorie_code, identifiant=self.identifiant, progress=progress)
