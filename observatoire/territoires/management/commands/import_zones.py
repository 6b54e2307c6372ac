from django.core.management.base import CommandError
from tqdm import tqdm

from observatoire.imports.base import ImportRejected
from observatoire.imports.command import ImportCommand
from observatoire.territoires.enums import ZoneType
from observatoire.territoires.zones import ZoneFields, ZonesImporter


class Command(ImportCommand):
    help = (
        "Importe des zones infra-communales (IRIS, QPV…) depuis un GeoJSON, GeoPackage ou Shapefile, "
        "zippé ou non."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--type", required=True, choices=ZoneType.values, dest="zone_type")
        parser.add_argument("--code-field", required=True, help="Champ du code officiel (ex. code_qp)")
        parser.add_argument("--nom-field", required=True, help="Champ du nom (ex. lib_qp)")
        parser.add_argument("--commune-field", help="Champ du code INSEE de la commune (ex. insee_com)")
        parser.add_argument("--population-field", help="Champ de la population, si présent")
        parser.add_argument("--layer", help="Couche à lire quand le fichier en a plusieurs")

    def handle(self, *args, path, dry_run, zone_type, layer=None, **options):
        # The field names make one importer per run: it is not in the registry the other commands
        # read, but it runs through the same ``execute`` (a dry run is the real run rolled back).
        fields = ZoneFields(
            options["code_field"], options["nom_field"], options["commune_field"], options["population_field"]
        )
        importer = ZonesImporter(zone_type, fields, layer)
        bar = tqdm(total=0, unit="zone", disable=options["verbosity"] == 0, file=self.stderr)

        def progress(done, total):
            bar.total, bar.n = total, done
            bar.refresh()

        try:
            summary = importer.execute(path, dry_run=dry_run, progress=progress)
        except ImportRejected as error:
            details = "\n".join(f"  - {line}" for line in error.errors[:50])
            raise CommandError(f"{error}\n{details}".rstrip()) from error
        finally:
            bar.close()
        prefix = "Simulation (import fait puis annulé, rien n'a été écrit) : " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + str(summary)))
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(f"Attention : {warning}"))
