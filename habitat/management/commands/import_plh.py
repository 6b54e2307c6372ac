from habitat.plh import FORMAT_HELP
from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Importe les objectifs annuels de production de logements du PLH par commune. " + FORMAT_HELP
    kind = "plh"
