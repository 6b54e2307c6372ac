from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les résultats RPLS par commune (SDES, classeur .xlsx, tel quel ou dans son archive .zip) : "
        "feuille COMMUNE, millésime lu dans le titre « au 1er janvier AAAA », en-tête DEPCOM_ARM, nb_ls, "
        "nb_loues… (ligne 6 dans les millésimes récents)."
    )
    kind = "rpls"
