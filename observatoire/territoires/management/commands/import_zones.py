from django.core.management.base import BaseCommand, CommandError

from observatoire.territoires.enums import ZoneType
from observatoire.territoires.zones import ZoneFields, ZoneFileError, import_zones


class Command(BaseCommand):
    help = "Importe des zones infra-communales (IRIS, QPV…) depuis un GeoJSON, GeoPackage ou Shapefile."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier vectoriel (GeoJSON, GeoPackage, Shapefile…)")
        parser.add_argument("--type", required=True, choices=ZoneType.values, dest="zone_type")
        parser.add_argument("--code-field", required=True, help="Champ du code officiel (ex. code_qp)")
        parser.add_argument("--nom-field", required=True, help="Champ du nom (ex. lib_qp)")
        parser.add_argument("--commune-field", help="Champ du code INSEE de la commune (ex. insee_com)")
        parser.add_argument("--population-field", help="Champ de la population, si présent")
        parser.add_argument("--layer", help="Couche à lire (GeoPackage à plusieurs couches)")
        parser.add_argument("--dry-run", action="store_true", help="Valider sans rien écrire")

    def handle(self, *args, **options):
        fields = ZoneFields(
            code=options["code_field"],
            nom=options["nom_field"],
            commune=options["commune_field"],
            population=options["population_field"],
        )
        try:
            summary = import_zones(
                options["path"],
                options["zone_type"],
                fields,
                layer_name=options["layer"],
                dry_run=options["dry_run"],
            )
        except ZoneFileError as error:
            details = "\n".join(f"  - {line}" for line in error.errors[:50])
            raise CommandError(f"{error}\n{details}".rstrip()) from error
        prefix = "Simulation : " if options["dry_run"] else ""
        counts = f"{summary.read} zones lues, {summary.inserted} ajoutées, {summary.updated} mises à jour."
        self.stdout.write(self.style.SUCCESS(prefix + counts))
