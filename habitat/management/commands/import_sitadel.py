from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from habitat.sitadel import SitadelError, import_file


class Command(BaseCommand):
    help = "Importe un fichier Sitadel annuel par commune (logements autorisés et commencés)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="Valider sans rien écrire")
        parser.add_argument("--encoding", default="utf-8", help="Encodage du fichier (utf-8, latin-1…)")

    def handle(self, *args, path, dry_run, encoding, **options):
        try:
            text = Path(path).read_text(encoding=encoding)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Fichier illisible : {path} ({error}).") from error
        try:
            summary = import_file(text, dry_run=dry_run)
        except SitadelError as error:
            details = "\n".join(f"  - {line}" for line in error.errors[:50])
            raise CommandError(f"{error}\n{details}".rstrip()) from error
        prefix = "Simulation : " if dry_run else ""
        counts = (
            f"{summary.read} lignes lues, {summary.inserted} ajoutées, {summary.updated} mises à jour, "
            f"{summary.skipped_outside} hors du territoire."
        )
        self.stdout.write(self.style.SUCCESS(prefix + counts))
