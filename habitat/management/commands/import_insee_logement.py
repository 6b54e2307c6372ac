from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe le fichier INSEE « base-cc-logement » par commune (CSV « ; », CODGEO puis P21_LOG, "
        "P21_RP, P21_RSECOCC, P21_LOGVAC… ; plusieurs recensements possibles dans le même fichier)."
    )
    kind = "insee_logement"
