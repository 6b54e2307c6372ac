from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from .base import ImportRejected, get_importer
from .files import chosen_member


class ImportCommand(BaseCommand):
    """A management command around one registered importer: path, ``--dry-run``, progress, summary."""

    kind = ""
    unit = "ligne"

    def importer(self, **options):
        """The importer this run uses: the registered one; a command whose options shape it builds its own."""
        return get_importer(self.kind)

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier tel que publié")
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Faire tout l'import (contrôles et écritures) puis l'annuler : mêmes comptes, rien d'écrit",
        )  # fmt: skip
        parser.add_argument(
            "--membre", metavar="NOM", help="Fichier à lire dans une archive .zip qui en contient plusieurs"
        )

    def handle(self, *args, path, dry_run, membre=None, **options):
        importer = self.importer(**options)
        bar = tqdm(total=0, unit=self.unit, disable=options["verbosity"] == 0, file=self.stderr)

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            with chosen_member(membre):
                summary = importer.execute(path, dry_run=dry_run, progress=progress)
        except ImportRejected as error:
            details = "\n".join(f"  - {line}" for line in error.errors[:50])
            raise CommandError(f"{error}\n{details}".rstrip()) from error
        except OSError as error:
            raise CommandError(f"Fichier illisible : {path} ({error}).") from error
        finally:
            bar.close()
        prefix = "Simulation (import fait puis annulé, rien n'a été écrit) : " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + str(summary)))
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(f"Attention : {warning}"))
        for reason in summary.rejected[:20]:
            self.stdout.write(f"  - {reason}")
        return None
