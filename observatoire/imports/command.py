from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from .base import ImportRejected, get_importer


class ImportCommand(BaseCommand):
    """A management command around one registered importer: path, ``--dry-run``, progress, summary."""

    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("path", help="Fichier tel que publié")
        parser.add_argument("--dry-run", action="store_true", help="Valider et compter sans rien écrire")

    def handle(self, *args, path, dry_run, **options):
        importer = get_importer(self.kind)
        bar = tqdm(total=0, unit="ligne", disable=options["verbosity"] == 0, file=self.stderr)

        def progress(done, total):
            bar.total = total
            bar.n = done
            bar.refresh()

        try:
            summary = importer.run(path, dry_run=dry_run, progress=progress)
        except ImportRejected as error:
            details = "\n".join(f"  - {line}" for line in error.errors[:50])
            raise CommandError(f"{error}\n{details}".rstrip()) from error
        except OSError as error:
            raise CommandError(f"Fichier illisible : {path} ({error}).") from error
        finally:
            bar.close()
        prefix = "Simulation (rien n'a été écrit) : " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + str(summary)))
        for reason in summary.rejected[:20]:
            self.stdout.write(f"  - {reason}")
        return None
