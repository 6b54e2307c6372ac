from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = "Importe un flux GTFS (archive zip) et recalcule les indicateurs."
    kind = "gtfs"
