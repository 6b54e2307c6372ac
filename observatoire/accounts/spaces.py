"""The working spaces a person reaches from « Mon compte », derived from their capabilities.

One table: each space names the capabilities that open it (any of them) and, for the few spaces
that follow from an assignment rather than a role, a test of the account. URLs are named, not
imported, so the platform core keeps importing no thematic app.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from . import perms
from .enums import Capability as C


@dataclass(frozen=True)
class Space:
    label: str
    url_name: str
    description: str
    capabilities: tuple = ()  # any of them opens the space; none: every signed-in person
    assigned: object = field(default=None)  # or: the account opens it by an assignment (user -> bool)

    def open_to(self, user):
        if any(perms.has_capability(user, capability) for capability in self.capabilities):
            return True
        if self.assigned is not None:
            return self.assigned(user)
        return not self.capabilities

    @property
    def url(self):
        return reverse(self.url_name)


SPACES = [
    Space(
        "Mes signalements",
        "signalements:mes-signalements",
        "Les signalements que vous avez déposés et leur suivi.",
    ),
    Space(
        "File de tri des signalements",
        "signalements:gestion-tri",
        "Trier, requalifier et transmettre les signalements reçus.",
        (C.TRIAGE_REPORTS,),
    ),
    Space(
        "Envois aux systèmes des services",
        "signalements:liaisons-envois",
        "Les signalements que le système d'un service n'a pas reçus, à relancer.",
        (C.TRIAGE_REPORTS,),
    ),
    Space(
        "Signalements de mes services",
        "signalements:gestion-service",
        "Les signalements transmis aux services techniques dont vous faites partie.",
        assigned=lambda user: user.services_techniques.exists(),
    ),
    Space(
        "Catégories de signalement de ma commune",
        "signalements:gestion-categories",
        "Ouvrir ou fermer les catégories de signalement de votre commune.",
        (C.MANAGE_COMMUNE_CATEGORIES,),
    ),
    Space(
        "Modèles de réponse des signalements",
        "signalements:gestion-modeles",
        "Les notes types proposées lors du tri et du traitement des signalements.",
        (C.MANAGE_COMMUNE_CATEGORIES, C.TRIAGE_REPORTS),
        assigned=lambda user: user.services_techniques.exists(),
    ),
    Space(
        "Tableau de bord des signalements",
        "signalements-dashboard:metropole",
        "Volumes, délais de traitement et points noirs des signalements.",
        (C.VIEW_REPORT_DASHBOARD,),
    ),
    Space(
        "Catalogue complet des données",
        "acces:catalogue",
        "Tous les jeux de données, ouverts ou réservés, leur sensibilité et leurs conditions d'accès.",
        # The readers gouvernance.acces_views.CATALOGUE_READERS lets in (tests/accounts/test_spaces.py).
        (C.VIEW_AGENT_CONTENT, C.VIEW_COMMUNAL_CONTENT, C.REQUEST_DATASET_ACCESS, C.MANAGE_CATALOGUE),
    ),
    Space(
        "Mes demandes d'accès aux données",
        "acces:mes-demandes",
        "Vos demandes d'accès aux jeux réservés, les décisions, vos téléchargements et votre jeton d'API.",
        (C.REQUEST_DATASET_ACCESS,),
    ),
    Space(
        "Demandes d'accès à instruire",
        "acces:demandes",
        "Accorder ou refuser l'accès des partenaires aux jeux de données réservés.",
        (C.GRANT_DATASET_ACCESS,),
    ),
    Space(
        "Journal des téléchargements",
        "acces:audit",
        "Chaque téléchargement de données non publiques, accordé ou refusé.",
        (C.VIEW_DOWNLOAD_AUDIT,),
    ),
    Space(
        "Registre des activités de traitement",
        "gouvernance:registre",
        "Le registre RGPD (article 30) : finalités, bases légales, destinataires.",
        (C.MANAGE_GDPR_REGISTER, C.MANAGE_GOVERNANCE),
    ),
    Space(
        "Comité de suivi des données",
        "gouvernance:comites",
        "Réunions, ordres du jour et comptes rendus du comité.",
        (C.MANAGE_GOVERNANCE,),
        assigned=lambda user: user.comites.exists(),
    ),
    Space(
        "Imports de fichiers officiels",
        "admin:imports_importjob_changelist",
        "Déposer un fichier officiel (DVF, RPLS, Sitadel…) et suivre son import.",
        (C.MANAGE_OBSERVATORIES,),
    ),
    Space(
        "Administration",
        "admin:index",
        "L'interface d'administration des contenus que votre rôle gère.",
        (C.ACCESS_ADMIN,),
    ),
]


def spaces_of(user):
    """The spaces ``user`` may open, in the table's order."""
    return [space for space in SPACES if space.open_to(user)]
