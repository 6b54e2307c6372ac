from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Importe le fichier du Cerema : consommation d'espaces naturels, agricoles et forestiers."
    kind = "consommation_espace"
