from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from environnement.demo import load_demo_environnement
from fiscalite.demo import load_demo_fiscalite
from foncier.demo_foncier import load_demo_foncier
from foncier.dvf.demo import load_demo_dvf
from gouvernance.demo import load_demo_gouvernance
from gouvernance.demo_acces import load_demo_acces
from habitat.demo import load_demo_habitat
from mobilite.demo import load_demo_mobilite
from observatoire.accounts.demo import DEMO_PASSWORD, load_demo_accounts
from observatoire.mfa.demo import DEMO_TOTP_SECRET, load_demo_second_factors
from observatoire.observatoires.demo import load_demo_contenus
from observatoire.opendata.demo import load_demo_opendata
from signalements.demo import load_demo_signalements


class Command(BaseCommand):
    help = "Charge les données de démonstration (comptes par rôle, signalements) et affiche les comptes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Autoriser la création avec DEBUG=False (serveur de démonstration uniquement).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Comptes de démonstration refusés hors développement (DEBUG=False) : "
                "leur mot de passe est public. Utilisez --allow-production sur un serveur de démonstration."
            )
        accounts = load_demo_accounts()
        second_factor = set(load_demo_second_factors(accounts))
        load_demo_contenus()
        imported = load_demo_habitat()
        if imported:
            self.stdout.write(
                f"  Sitadel de démonstration importé : {imported} lignes (var/demo/sitadel_communes.csv)."
            )
        for name, seconds in load_demo_mobilite().items():
            self.stdout.write(f"  Mobilité de démonstration importée : var/demo/{name} ({seconds} s).")
        for what, rows in load_demo_foncier().items():
            self.stdout.write(f"  Foncier de démonstration importé : {rows} {what} (var/demo/).")
        for name, rows in load_demo_environnement().items():
            self.stdout.write(
                f"  Environnement de démonstration importé : {rows} lignes (var/demo/environnement/{name})."
            )
        for kind, rows in load_demo_fiscalite().items():
            self.stdout.write(f"  Fiscalité de démonstration : {rows} lignes {kind} (var/demo/fiscalite).")
        dvf = load_demo_dvf()
        if dvf:
            self.stdout.write(f"  DVF de démonstration importé : {dvf} (var/demo/dvf_13.csv.gz).")
        created = load_demo_signalements()
        if created:
            self.stdout.write(f"  {created} signalements de démonstration générés.")
        for line in load_demo_opendata():
            self.stdout.write(f"  Open data publié : {line}.")
        if load_demo_gouvernance():
            self.stdout.write("  Gouvernance de démonstration : charte, conventions, comité, registre.")
        if load_demo_acces():
            self.stdout.write("  Demande d'accès du partenaire (gisements fonciers), à instruire par l'AGD.")
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("  Comptes de démonstration"))
        self.stdout.write(f"  (mot de passe commun : {DEMO_PASSWORD})")
        width = max(len(user.email) for _, user in accounts)
        for account, user in accounts:
            totp = "  (+ code TOTP)" if user in second_factor else ""
            self.stdout.write(f"  {user.email.ljust(width)}  {account.role.label}{totp}")
        if second_factor:
            self.stdout.write(
                f"  Code TOTP : clé de démonstration {DEMO_TOTP_SECRET} dans une application "
                f"d'authentification, ou : oathtool --totp -b {DEMO_TOTP_SECRET}"
            )
