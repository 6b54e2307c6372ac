from environnement.emissions import EmissionsImporter
from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les émissions par commune, secteur et polluant de l'inventaire régional (extraction CIGALE "
        "d'AtmoSud « détail par commune » : Année, Id Entité, Activité, Variable, Valeur, Unite ; ou une "
        "colonne par polluant). La version de l'inventaire est lue dans le fichier ou son nom "
        "(inventaire_v2023…), sinon donnée par --version."
    )
    kind = "emissions_air"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Django's own --version (the framework's version) gives way to the inventory's.
        for group in (parser, *parser._action_groups):
            group.conflict_handler = "resolve"
        parser.add_argument(
            "--version", dest="inventaire", metavar="VERSION",
            help="Version de l'inventaire quand le fichier ne la dit pas (ex. v2023)",
        )  # fmt: skip

    def importer(self, **options):
        return EmissionsImporter(version=options.get("inventaire"))
