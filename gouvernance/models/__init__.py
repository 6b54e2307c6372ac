"""Data governance: the meta-catalogue of datasets, access rights and the download audit."""

from .acces import DemandeAcces, HistoriqueDemande, StatutDemande, Telechargement
from .algorithmes import Algorithme
from .catalogue import JeuDeDonnees, JeuDeDonneesQuerySet
from .comite import Comite, Rappel, Reunion
from .documents import DocumentGouvernance, HistoriqueDocument, Principe, VersionDocument
from .partenaires import ContactPartenaire, Partenariat
from .registre import Traitement
from .roles import Designation

__all__ = [
    "Algorithme",
    "Comite",
    "ContactPartenaire",
    "DemandeAcces",
    "Designation",
    "DocumentGouvernance",
    "HistoriqueDemande",
    "HistoriqueDocument",
    "JeuDeDonnees",
    "JeuDeDonneesQuerySet",
    "Partenariat",
    "Principe",
    "Rappel",
    "Reunion",
    "StatutDemande",
    "Telechargement",
    "Traitement",
    "VersionDocument",
]
