from observatoire.imports.command import ImportCommand
from observatoire.territoires.enums import ZoneType
from observatoire.territoires.zones import ZoneFields, ZonesImporter


class Command(ImportCommand):
    unit = "zone"
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

    def importer(self, *, zone_type, code_field, nom_field, commune_field, population_field, layer=None, **_):
        # The field names make one importer per run: it is not in the registry the other commands
        # read, but it runs through the same ``execute`` (a dry run is the real run rolled back).
        fields = ZoneFields(code_field, nom_field, commune_field, population_field)
        return ZonesImporter(zone_type, fields, layer)
