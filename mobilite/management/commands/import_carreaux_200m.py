from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Importe la population carroyée à 200 m de l'Insee (Filosofi) et recalcule les indicateurs."
    kind = "carreaux_200m"
