"""Demo accounts, one per role, for a local portal (never for production)."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from observatoire.territoires.models import Commune

from .enums import Capability, OrganisationType, Role
from .models import Organisation, User
from .roles import ROLE_CAPABILITIES

DEMO_PASSWORD = "demo-observatoire"  # noqa: S105 - public on purpose, refused when DEBUG is off
DEMO_DOMAIN = "demo.observatoire.local"


def is_demo_account(user):
    return (getattr(user, "email", "") or "").lower().endswith("@" + DEMO_DOMAIN)


def demo_accounts_refused(user):
    """The demo accounts' password is public: outside development (DEBUG off) nobody uses them."""
    return not settings.DEBUG and is_demo_account(user)


def demo_accounts():
    return User.objects.filter(email__iendswith="@" + DEMO_DOMAIN)


@dataclass(frozen=True)
class DemoAccount:
    login: str
    first_name: str
    last_name: str
    role: Role
    fonction: str
    communes: tuple = ()
    partner: bool = False

    @property
    def email(self):
        return f"{self.login}@{DEMO_DOMAIN}"


DEMO_ACCOUNTS = [
    DemoAccount("citoyen", "Camille", "Martin", Role.CITOYEN, "Habitante de Marseille"),
    DemoAccount(
        "agent.aix",
        "Nadia",
        "Benali",
        Role.AGENT_COMMUNAL,
        "Services techniques, Aix-en-Provence",
        ("13001",),
    ),
    DemoAccount("agent.metropole", "Julien", "Roux", Role.AGENT_METROPOLITAIN, "Direction de l'habitat"),
    DemoAccount("elu", "Hélène", "Giraud", Role.ELU, "Vice-présidente déléguée à l'habitat"),
    DemoAccount(
        "etudes", "Nadia", "Benali", Role.CHARGE_ETUDES, "Chargée d'études, observatoire de l'habitat"
    ),
    DemoAccount(
        "gestionnaire",
        "Karim",
        "Haddad",
        Role.GESTIONNAIRE_SIGNALEMENTS,
        "Service SIG, gestion des signalements",
    ),
    DemoAccount(
        "admin.marseille",
        "Sophie",
        "Blanc",
        Role.ADMIN_COMMUNAL,
        "Administratrice communale, Marseille",
        ("13055",),
    ),
    DemoAccount("partenaire", "Thomas", "Morel", Role.PARTENAIRE, "Chargé d'études", partner=True),
    DemoAccount("agd", "Isabelle", "Fabre", Role.AGD, "Administratrice générale des données"),
    DemoAccount("dpo", "Marc", "Laurent", Role.DPO, "Délégué à la protection des données"),
    DemoAccount("rssi", "Claire", "Mercier", Role.RSSI, "Responsable de la sécurité des SI"),
    DemoAccount("superadmin", "Alex", "Admin", Role.SUPERADMIN, "Administration technique du portail"),
]


@transaction.atomic
def load_demo_accounts():
    """Create or refresh the demo accounts; returns them. Safe to run again."""
    partner, _ = Organisation.objects.get_or_create(
        nom="Centre d'études et d'expertise sur les risques, l'environnement, la mobilité et l'aménagement",
        defaults={"sigle": "Cerema", "type": OrganisationType.ETABLISSEMENT_PUBLIC},
    )
    accounts = []
    # One PBKDF2 hash for all (about 1 s each on a small machine): the password is public anyway.
    password_hash = None
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(email=account.email)
        user.first_name, user.last_name = account.first_name, account.last_name
        user.fonction = account.fonction
        user.is_active = True
        user.is_superuser = account.role == Role.SUPERADMIN
        user.is_staff = Capability.ACCESS_ADMIN in ROLE_CAPABILITIES[account.role]
        user.organisation = partner if account.partner else None
        if created:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user.password = password_hash
        user.save()
        user.groups.set([Group.objects.get(name=account.role)])
        user.communes.set(Commune.objects.filter(insee__in=account.communes))
        accounts.append((account, user))
    return accounts
