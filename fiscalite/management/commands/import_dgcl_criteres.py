from fiscalite.dgcl import DgclCriteresImporter
from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe le fichier communal des critères de répartition des dotations de la DGCL (une année par "
        "fichier, CSV tel que publié ou zippé) : population DGF, potentiels fiscal et financier, effort "
        "fiscal et moyennes de la strate. L'année vient d'une colonne, de --annee ou du nom du fichier."
    )
    kind = "dgcl_criteres"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--annee", type=int, help="Année des critères (sinon lue dans le nom du fichier)")

    def importer(self, annee=None, **options):
        return DgclCriteresImporter(annee)
