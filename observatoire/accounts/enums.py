from django.db import models


class Role(models.TextChoices):
    """Roles are Django groups named by these values (shipped by a data migration)."""

    CITOYEN = "citoyen", "Citoyen"
    AGENT_COMMUNAL = "agent_communal", "Agent communal"
    AGENT_METROPOLITAIN = "agent_metropolitain", "Agent métropolitain"
    ELU = "elu", "Élu"
    CHARGE_ETUDES = "charge_etudes", "Chargé d'études des observatoires"
    GESTIONNAIRE_SIGNALEMENTS = "gestionnaire_signalements", "Gestionnaire des signalements"
    ADMIN_COMMUNAL = "admin_communal", "Administrateur communal"
    PARTENAIRE = "partenaire", "Partenaire"
    AGD = "agd", "Administrateur général des données (AGD)"
    DPO = "dpo", "Délégué à la protection des données (DPO)"
    RSSI = "rssi", "Responsable de la sécurité des systèmes d'information (RSSI)"
    SUPERADMIN = "superadmin", "Super-administrateur"


class Capability(models.TextChoices):
    """What a role may do; each is a permission `accounts.<value>`."""

    VIEW_AGENT_CONTENT = "view_agent_content", "Consulter les contenus réservés aux agents et élus"
    VIEW_COMMUNAL_CONTENT = "view_communal_content", "Consulter les contenus ouverts aux agents communaux"
    VIEW_PARTNER_CONTENT = "view_partner_content", "Consulter les contenus ouverts aux partenaires autorisés"
    FILE_REPORT = "file_report", "Déposer un signalement"
    FILE_REPORT_AS_AGENT = (
        "file_report_as_agent",
        "Déposer un signalement dans une catégorie réservée aux agents",
    )
    TRIAGE_REPORTS = "triage_reports", "Trier, requalifier et transmettre les signalements"
    MANAGE_COMMUNE_CATEGORIES = (
        "manage_commune_categories",
        "Ouvrir ou fermer les catégories de signalement d'une commune",
    )
    VIEW_REPORT_DASHBOARD = "view_report_dashboard", "Consulter les tableaux de bord des signalements"
    REQUEST_DATASET_ACCESS = "request_dataset_access", "Demander l'accès à un jeu de données restreint"
    GRANT_DATASET_ACCESS = (
        "grant_dataset_access",
        "Accorder ou refuser l'accès aux jeux de données restreints",
    )
    MANAGE_CATALOGUE = "manage_catalogue", "Gérer le méta-catalogue et la publication en open data"
    MANAGE_GDPR_REGISTER = "manage_gdpr_register", "Tenir le registre des activités de traitement"
    VIEW_DOWNLOAD_AUDIT = "view_download_audit", "Consulter le journal des téléchargements"
    MANAGE_GOVERNANCE = "manage_governance", "Gérer les documents et instances de gouvernance"
    MANAGE_OBSERVATORIES = (
        "manage_observatories",
        "Gérer les observatoires, leurs contenus et les imports de fichiers officiels",
    )
    ACCESS_ADMIN = "access_admin", "Accéder à l'interface d'administration"


class OrganisationType(models.TextChoices):
    COLLECTIVITE = "collectivite", "Collectivité territoriale"
    ETAT = "etat", "Service de l'État"
    ETABLISSEMENT_PUBLIC = "etablissement_public", "Établissement public"
    ENTREPRISE_PUBLIQUE = "entreprise_publique", "Entreprise ou société publique locale"
    OPERATEUR_RESEAU = "operateur_reseau", "Gestionnaire de réseau"
    BAILLEUR_SOCIAL = "bailleur_social", "Bailleur social"
    RECHERCHE = "recherche", "Université ou organisme de recherche"
    ASSOCIATION = "association", "Association"
    AUTRE = "autre", "Autre"
