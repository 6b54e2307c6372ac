"""The mobility importers, registered for the admin and the commands.

Each validates the whole file, writes, and schedules the indicators' recompute for after the commit
when something changed. ``Importer.execute`` wraps ``run`` in a transaction that a dry run rolls
back: the recompute registered here is discarded with it.
"""

from django.db import transaction

from observatoire.imports.base import Importer, no_progress, register

from . import carreaux, flux, gtfs, modes
from .insee_files import open_insee_text
from .tasks import schedule_recompute


def recompute_after_commit(summary):
    """The indicators are recomputed once the import is committed, and only if it changed something."""
    if summary.changed:
        transaction.on_commit(schedule_recompute)
    return summary


@register
class GtfsImporter(Importer):
    kind = "gtfs"
    label = "GTFS : arrêts, lignes et passages d'un réseau de transport (archive zip)"
    extensions = (".zip",)
    observatoire = "mobilite"

    def run(self, path, *, progress=no_progress):
        feed = gtfs.read_feed(path, progress)
        return recompute_after_commit(gtfs.write_feed(feed))


class _InseeImporter(Importer):
    """An INSEE CSV (plain, gzipped or zipped beside its metadata): ``parse`` reads, ``store`` writes."""

    observatoire = "mobilite"
    extensions = (".csv", ".csv.gz", ".txt", ".zip")

    def run(self, path, *, progress=no_progress):
        with open_insee_text(path) as stream:
            *data, summary = self.parse(stream, progress)
        self.store(*data, summary)
        progress(summary.read, summary.read)
        return recompute_after_commit(summary)


@register
class CarreauxImporter(Importer):
    kind = "carreaux_200m"
    label = "Insee Filosofi : population carroyée à 200 m (CSV ou GeoPackage : Idcar_200m ou IdINSPIRE, Ind)"
    extensions = (".csv", ".csv.gz", ".zip", ".gpkg")
    observatoire = "mobilite"

    def run(self, path, *, progress=no_progress):
        # The CSV archive of a millésime holds one file per area (metropole, Martinique, La Réunion):
        # each is read, the cells outside the territory's box are left on the way.
        cells, summary = carreaux.read_all(path, progress)
        carreaux.write(cells, summary)
        progress(summary.read, summary.read)
        return recompute_after_commit(summary)


@register
class FluxImporter(_InseeImporter):
    kind = "mobilites_professionnelles"
    label = "Insee : mobilités professionnelles, flux domicile-travail (base flux ou fichier détail MOBPRO)"
    parse = staticmethod(flux.read)
    store = staticmethod(flux.write)


@register
class ModesImporter(_InseeImporter):
    kind = "emploi_pop_active"
    label = "Insee : emploi et population active, modes de transport domicile-travail (base-cc)"
    parse = staticmethod(modes.read)
    store = staticmethod(modes.write)
