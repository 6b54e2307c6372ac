from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les modes de transport domicile-travail (Insee, base emploi-population active) "
        "et recalcule les indicateurs."
    )
    kind = "emploi_pop_active"
