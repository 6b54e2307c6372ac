from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les résultats RPLS par commune (SDES, .xlsx) : feuille COMMUNE, millésime lu dans le "
        "titre « au 1er janvier AAAA », en-tête en ligne 6 (DEPCOM_ARM, nb_ls, nb_loues…)."
    )
    kind = "rpls"
