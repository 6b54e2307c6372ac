from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe la base GASPAR de Géorisques : l'archive .zip entière (arrêtés de catastrophe naturelle "
        "catnat_gaspar et plans de prévention des risques pprn_gaspar, pprt_gaspar, pprm_gaspar ; les autres "
        "tables — azi, pcs, risq… — sont listées et laissées de côté) ou l'un de ses fichiers CSV, reconnu "
        "à son en-tête (minuscules des millésimes 2019–2024, majuscules des exports récents)."
    )
    kind = "gaspar"
