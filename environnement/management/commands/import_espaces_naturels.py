from django.core.management.base import CommandError

from observatoire.imports.base import ImportRejected
from observatoire.imports.command import ImportCommand

from ...enums import TypeEspace
from ...espaces import EspacesNaturelsImporter, parse_millesime, parse_type


class Command(ImportCommand):
    unit = "entité"
    help = (
        "Importe une couche d'espaces naturels de l'INPN (ZNIEFF I/II, Natura 2000 SIC/ZSC et ZPS, parcs "
        "nationaux, parcs naturels régionaux, réserves naturelles) : GeoJSON, GeoPackage ou Shapefile, "
        "zippé ou non. Type et millésime lus dans les attributs et les noms, sinon --type et --millesime. "
        "La couche remplace les espaces du même type (sauf --complement), puis la couverture des communes "
        "est recalculée."
    )
    kind = "espaces_naturels"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--type", dest="espace_type", metavar="TYPE",
            help=f"Type des espaces du fichier : {', '.join(TypeEspace.values)}",
        )  # fmt: skip
        parser.add_argument("--millesime", metavar="AAAA", help="Millésime de la couche (année)")
        parser.add_argument("--layer", help="Couche à lire quand le fichier en a plusieurs")
        parser.add_argument(
            "--complement", action="store_true",
            help="Ajouter ou mettre à jour des sites sans supprimer ceux du même type absents du fichier",
        )  # fmt: skip

    def importer(self, *, espace_type=None, millesime=None, layer=None, complement=False, **_):
        # Checked here, before the file is read, so that a wrong option is said as such (in French).
        try:
            kind = parse_type(espace_type) if espace_type else None
            year = parse_millesime(millesime) if millesime else None
        except ImportRejected as error:
            raise CommandError(str(error)) from error
        return EspacesNaturelsImporter(kind, year, layer, complement)
