from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe le fichier de recensement des éléments d'imposition à la fiscalité directe locale (REI, "
        "DGFiP) : l'archive .zip annuelle telle que publiée (notice ignorée), le classeur .xlsx "
        "(2013–2022, variables en codes jusqu'en 2018 puis en libellés) ou le .csv (depuis 2023, « ; », "
        "Latin-1, variables en codes), ou la republication longue de l'OFGL (annee, idcom, var, valeur). "
        "Bases, taux et produits des taxes foncières, TEOM, TH/THRS et CFE par commune ; une cellule vide "
        "est un secret statistique. L'année est lue dans une colonne EXERCICE/ANNEE, sinon dans le titre "
        "ou le nom du fichier."
    )
    kind = "rei"
    unit = "ligne"
