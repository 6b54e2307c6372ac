"""The mobility importers, registered for the admin and the commands.

Each validates the whole file before writing, writes in one transaction, and schedules the
indicators' recompute once the transaction is committed.
"""

from django.db import transaction

from observatoire.core.publish import publish_quietly
from observatoire.imports.base import Importer, no_progress, register
from observatoire.imports.files import open_text

from . import carreaux, flux, gtfs, modes
from .tasks import recompute_indicators


def _after_commit():
    # Outside an outer transaction this runs at once: the importer's own transaction is committed.
    transaction.on_commit(lambda: publish_quietly(recompute_indicators))


@register
class GtfsImporter(Importer):
    kind = "gtfs"
    label = "GTFS : arrêts, lignes et passages d'un réseau de transport (archive zip)"
    extensions = (".zip",)
    observatoire = "mobilite"

    def run(self, path, *, dry_run=False, progress=no_progress):
        feed = gtfs.read_feed(path, progress)
        summary, _ = gtfs.write_feed(feed, dry_run=dry_run)
        if not dry_run:
            _after_commit()
        return summary


class _StreamImporter(Importer):
    """A text file read and validated whole, then written: ``parse`` gives ``(*data, summary)``."""

    observatoire = "mobilite"

    def run(self, path, *, dry_run=False, progress=no_progress):
        with open_text(path) as stream:
            *data, summary = self.parse(stream, progress)
        self.store(*data, summary, dry_run=dry_run)
        progress(summary.read, summary.read)
        if not dry_run:
            _after_commit()
        return summary


@register
class CarreauxImporter(_StreamImporter):
    kind = "carreaux_200m"
    label = "Insee Filosofi : population carroyée à 200 m (Idcar_200m, Ind)"
    extensions = (".csv", ".csv.gz")
    parse = staticmethod(carreaux.read)
    store = staticmethod(carreaux.write)


@register
class FluxImporter(_StreamImporter):
    kind = "mobilites_professionnelles"
    label = "Insee : mobilités professionnelles, flux domicile-travail entre communes"
    extensions = (".csv", ".csv.gz", ".txt")
    parse = staticmethod(flux.read)
    store = staticmethod(flux.write)


@register
class ModesImporter(_StreamImporter):
    kind = "emploi_pop_active"
    label = "Insee : emploi et population active, modes de transport domicile-travail (base-cc)"
    extensions = (".csv", ".csv.gz", ".txt")
    store = staticmethod(modes.write)

    @staticmethod
    def parse(stream, progress):
        return modes.read(stream)  # one row per commune: no progress worth reporting
