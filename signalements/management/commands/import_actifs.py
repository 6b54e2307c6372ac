from observatoire.imports.command import ImportCommand
from signalements.actifs.importer import ActifsImporter


class Command(ImportCommand):
    help = (
        "Importe les équipements d'une catégorie de signalement (points lumineux, corbeilles, arbres, "
        "bornes…) : GeoJSON, GeoPackage, Shapefile zippé ou CSV (lon/lat, x/y Lambert-93 ou geo_point_2d). "
        "Les équipements de la catégorie situés dans les communes du fichier et absents de celui-ci sont "
        "désactivés."
    )
    kind = "actifs"
    unit = "équipement"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--categorie", metavar="CODE", help="Code de la catégorie (ex. eclairage)")
        parser.add_argument(
            "--champ-identifiant", metavar="COLONNE",
            help="Colonne de l'identifiant quand elle n'est pas reconnue (identifiant, id, idbase, id_sdis…)",
        )  # fmt: skip

    def importer(self, *, categorie=None, champ_identifiant=None, **options):
        return ActifsImporter(categorie, champ_identifiant)
