from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe le fichier communal du Cerema (portail de l'artificialisation, conso_com.csv, tel quel ou "
        "zippé) : consommation d'espaces naturels, agricoles et forestiers par commune et par an "
        "(idcom, nafAAartBB et destinations artAAhabBB…, quelle que soit la fenêtre du millésime)."
    )
    kind = "consommation_espace"
