import time

from django.core.management.base import BaseCommand, CommandError

from gouvernance.models import JeuDeDonnees
from observatoire.opendata.models import Portail
from observatoire.opendata.pushers import ECHEC, PortalUnavailable, enabled, pending, push, record_failure

# Seconds to wait before each new attempt when the portal is unavailable (connection error, 5xx).
BACKOFF = (5, 15, 45)


class Command(BaseCommand):
    help = (
        "Pousse la dernière version des jeux publiés vers les portails externes configurés (CKAN, "
        "data.gouv.fr). Sans identifiant : les jeux dont la dernière version n'y est pas encore."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="identifiant", help="Identifiants des jeux à pousser")
        parser.add_argument("--portail", choices=Portail.values, help="Un seul portail (par défaut : tous)")
        parser.add_argument("--force", action="store_true", help="Renvoyer même une version déjà diffusée")

    def handle(self, *args, slugs, portail, force, **options):
        configured = enabled()
        portails = [portail] if portail else configured
        missing = [name for name in portails if name not in configured]
        if missing or not portails:
            raise CommandError(
                f"Portail désactivé : {', '.join(missing) or 'aucun'} (renseigner OPENDATA_CKAN_URL et "
                "OPENDATA_CKAN_API_KEY, ou OPENDATA_DATAGOUV_API_KEY)."
            )
        if slugs:
            jeux = list(JeuDeDonnees.objects.filter(slug__in=slugs).order_by("slug"))
            unknown = sorted(set(slugs) - {jeu.slug for jeu in jeux})
            if unknown:
                raise CommandError(f"Jeu(x) inconnu(s) : {', '.join(unknown)}")
        failures = 0
        for name in portails:
            for jeu in jeux if slugs else pending(name):
                outcome = self.push_with_retries(jeu, name, force)
                failures += outcome == ECHEC
                self.stdout.write(f"{jeu.slug} → {Portail(name).label} : {outcome}")
        if failures:
            raise CommandError(
                f"{failures} diffusion(s) en échec : voir le journal et l'état des diffusions."
            )

    def push_with_retries(self, jeu, portail, force):
        for wait in (*BACKOFF, None):
            try:
                return push(jeu, portail, force=force)
            except PortalUnavailable as error:
                if wait is None:
                    return record_failure(jeu, portail, error)
                self.stderr.write(f"{error} : nouvel essai dans {wait} s")
                time.sleep(wait)
        return ECHEC  # unreachable: the loop returns on its last turn
