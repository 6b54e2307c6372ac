from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe un fichier DVF géolocalisées (Etalab : .csv, .csv.gz tel que publié, ou dans un .zip) : "
        "mutations immobilières et foncières. Règles de comptage : docs/dvf-regles-de-comptage.md."
    )
    kind = "dvf"
