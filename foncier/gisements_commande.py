"""Import command of a vector file, with ``--layer`` for files (GeoPackage) that hold several layers."""

from observatoire.imports.base import get_importer
from observatoire.imports.command import ImportCommand


class LayerImportCommand(ImportCommand):
    default_layer = None

    def add_arguments(self, parser):
        super().add_arguments(parser)
        help_text = "Couche à lire quand le fichier en a plusieurs"
        if self.default_layer:
            help_text += f" (défaut : {self.default_layer})"
        parser.add_argument("--layer", help=help_text)

    def handle(self, *args, layer=None, **options):
        # The registered importer is shared: the layer is set for this run only.
        importer = get_importer(self.kind)
        importer.layer = layer
        try:
            return super().handle(*args, **options)
        finally:
            importer.layer = None
