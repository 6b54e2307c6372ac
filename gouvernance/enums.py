from django.db import models


class Sensibilite(models.TextChoices):
    PUBLIC = "public", "Public"
    RESTREINT = "restreint", "Restreint"
    PERSONNEL = "personnel", "Données personnelles"
    SECURITE = "securite", "Sensible (sécurité)"


class Theme(models.TextChoices):
    """Portal themes, each mapped to the EU data-theme vocabulary for DCAT."""

    HABITAT = "habitat", "Habitat"
    FONCIER = "foncier", "Foncier"
    MOBILITE = "mobilite", "Mobilité"
    ESPACE_PUBLIC = "espace_public", "Espace public et signalements"
    TERRITOIRE = "territoire", "Territoire"
    ENVIRONNEMENT = "environnement", "Environnement"
    FISCALITE = "fiscalite", "Fiscalité"
    GOUVERNANCE = "gouvernance", "Gouvernance"


EU_THEME = {
    Theme.HABITAT: "REGI",
    Theme.FONCIER: "REGI",
    Theme.MOBILITE: "TRAN",
    Theme.ESPACE_PUBLIC: "GOVE",
    Theme.TERRITOIRE: "REGI",
    Theme.ENVIRONNEMENT: "ENVI",
    Theme.FISCALITE: "ECON",
    Theme.GOUVERNANCE: "GOVE",
}


class Frequence(models.TextChoices):
    """Update frequency; values are the codes of the EU frequency vocabulary."""

    CONT = "CONT", "En continu"
    DAILY = "DAILY", "Quotidienne"
    WEEKLY = "WEEKLY", "Hebdomadaire"
    MONTHLY = "MONTHLY", "Mensuelle"
    QUARTERLY = "QUARTERLY", "Trimestrielle"
    ANNUAL = "ANNUAL", "Annuelle"
    IRREG = "IRREG", "Irrégulière"


class Licence(models.TextChoices):
    LO2 = "lo-2.0", "Licence Ouverte 2.0 (Etalab)"
    ODBL = "odbl-1.0", "Open Database License (ODbL) 1.0"


EU_THEME_LABEL = {
    "REGI": "Régions et villes",
    "TRAN": "Transports",
    "GOVE": "Gouvernement et secteur public",
    "ENVI": "Environnement",
    "ECON": "Économie et finances",
}

LICENCE_URI = {
    Licence.LO2: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}
