"""Demo response templates: the metropolis's common notes, and a few of Marseille's and Aix's."""

from observatoire.territoires.models import Commune

from ..enums import Status
from ..models import Categorie
from .models import ModeleReponse, UsageModele

# (commune INSEE or None, category code or None, usage, target status, title, text)
MODELES = [
    (
        None,
        None,
        UsageModele.TRI,
        Status.TRANSMIS,
        "Transmis au service",
        "Merci pour votre signalement {reference}. Il est transmis à {service}, qui va l'examiner.",
    ),
    (
        None,
        None,
        UsageModele.SERVICE,
        Status.PLANIFIE,
        "Intervention planifiée",
        "Une intervention est prévue le {date_prevue} à {commune} pour votre signalement {reference} ({categorie}).",
    ),
    (
        None,
        None,
        UsageModele.SERVICE,
        Status.RESOLU,
        "Problème résolu",
        "Le problème signalé ({categorie}, {commune}) est résolu. Merci d'avoir pris le temps de le signaler.",
    ),
    (
        None,
        None,
        UsageModele.TOUS,
        Status.REJETE,
        "Hors compétence",
        "Ce problème ne relève pas de la collectivité. Nous vous invitons à contacter le gestionnaire concerné.",
    ),
    (
        "13055",
        "proprete",
        UsageModele.SERVICE,
        Status.PLANIFIE,
        "Marseille : passage de la benne",
        "La Direction de la propreté urbaine passera le {date_prevue}. Merci de ne pas ajouter de dépôt d'ici là.",
    ),
    (
        "13001",
        "eclairage",
        UsageModele.SERVICE,
        Status.PRIS_EN_CHARGE,
        "Aix : diagnostic éclairage",
        "Le service éclairage d'Aix-en-Provence va diagnostiquer le point lumineux ({reference}).",
    ),
]


def load_modeles_reponse():
    """Idempotent: upserted on (commune, title)."""
    communes = {
        c.insee: c
        for c in Commune.objects.filter(insee__in={m[0] for m in MODELES if m[0]}).only("pk", "insee")
    }
    categories = {c.code: c for c in Categorie.objects.filter(parent__isnull=True)}
    for insee, code, usage, statut, titre, texte in MODELES:
        if insee and insee not in communes:
            continue
        ModeleReponse.objects.update_or_create(
            commune=communes.get(insee),
            titre=titre,
            defaults={"texte": texte, "categorie": categories.get(code), "usage": usage, "statut": statut},
        )
