from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe un fichier DVF géolocalisées (Etalab, CSV ou CSV.gz) : mutations immobilières et foncières."
    )
    kind = "dvf"
