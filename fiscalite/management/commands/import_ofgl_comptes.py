from observatoire.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Importe les comptes consolidés de l'OFGL (data.ofgl.fr, CSV tel qu'exporté ou zippé) des communes "
        "(« Code Insee AAAA Commune ») ou des groupements à fiscalité propre (« Code Siren AAAA EPCI ») : "
        "un montant par collectivité, exercice et agrégat, budgets principal et annexes consolidés."
    )
    kind = "ofgl_comptes"
