from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Importe un fichier Sitadel annuel par commune (logements autorisés et commencés)."
    kind = "sitadel"
