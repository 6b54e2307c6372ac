from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe le fichier INSEE « base-cc-logement » par commune ou par arrondissement municipal, "
        "tel que publié (archive base-cc-logement-AAAA_csv.zip, ou le CSV « ; » qu'elle contient) : "
        "CODGEO puis P21_LOG, P21_RP, P21_RSECOCC, P21_LOGVAC… (préfixe du millésime ; plusieurs "
        "recensements possibles dans le même fichier)."
    )
    kind = "insee_logement"
