from django.db import models


class Status(models.TextChoices):
    NOUVEAU = "nouveau", "Nouveau"
    EN_ANALYSE = "en_analyse", "En cours d'analyse"
    TRANSMIS = "transmis", "Transmis au service compétent"
    PRIS_EN_CHARGE = "pris_en_charge", "Pris en charge"
    PLANIFIE = "planifie", "Intervention planifiée"
    RESOLU = "resolu", "Résolu"
    CLOS = "clos", "Clos"
    REJETE = "rejete", "Non retenu"
    DOUBLON = "doublon", "Doublon"
    REOUVERT = "reouvert", "Rouvert"


OPEN_STATUSES = (
    Status.NOUVEAU,
    Status.EN_ANALYSE,
    Status.TRANSMIS,
    Status.PRIS_EN_CHARGE,
    Status.PLANIFIE,
    Status.REOUVERT,
)


class Ouverture(models.TextChoices):
    """Who may file a report in a category, in one commune."""

    FERMEE = "fermee", "Fermée"
    AGENTS = "agents", "Ouverte aux agents"
    TOUS = "tous", "Ouverte aux agents et aux habitants"


class Audience(models.TextChoices):
    CITOYEN = "citoyen", "Habitant"
    AGENT = "agent", "Agent"


class RejectionReason(models.TextChoices):
    HORS_COMPETENCE = "hors_competence", "Hors compétence de la collectivité"
    TRANSMIS_AUTRE_ORGANISME = "transmis_autre_organisme", "Transmis à un autre organisme"
    PAS_D_ACTION_POSSIBLE = "pas_d_action_possible", "Pas d'action possible"
    INFORMATIONS_INSUFFISANTES = "informations_insuffisantes", "Informations insuffisantes"
    SPAM = "spam", "Contenu abusif ou sans rapport"


class ServiceType(models.TextChoices):
    COMMUNAL = "communal", "Service technique communal"
    METROPOLITAIN = "metropolitain", "Service de la métropole"
    SYNDICAT = "syndicat", "Syndicat"
    BAILLEUR = "bailleur", "Bailleur social"
    CONCESSIONNAIRE = "concessionnaire", "Concessionnaire de réseau"
    AUTRE = "autre", "Autre organisme"


class PhotoKind(models.TextChoices):
    SIGNALEMENT = "signalement", "Photo du signalement"
    APRES = "apres", "Photo après intervention"
