from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les flux domicile-travail (Insee, mobilités professionnelles) et recalcule les indicateurs."
    )
    kind = "mobilites_professionnelles"
