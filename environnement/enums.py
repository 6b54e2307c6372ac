from django.db import models


class TypeEspace(models.TextChoices):
    """Protected and natural areas as the INPN (PatriNat) publishes their layers."""

    ZNIEFF1 = "znieff1", "ZNIEFF de type I"
    ZNIEFF2 = "znieff2", "ZNIEFF de type II"
    NATURA_SIC = "natura_sic", "Natura 2000 : site d'importance communautaire (directive Habitats)"
    NATURA_ZPS = "natura_zps", "Natura 2000 : zone de protection spéciale (directive Oiseaux)"
    PARC_NATIONAL = "parc_national", "Parc national"
    PNR = "pnr", "Parc naturel régional"
    RESERVE_NATURELLE = "reserve_naturelle", "Réserve naturelle"


class FamillePpr(models.TextChoices):
    PPRN = "PPRN", "Plan de prévention des risques naturels"
    PPRT = "PPRT", "Plan de prévention des risques technologiques"
    PPRM = "PPRM", "Plan de prévention des risques miniers"


class QualiteAir(models.IntegerChoices):
    """The ATMO index (2021 method): 1 to 6, plus the producers' codes for no index and an event."""

    ABSENT = 0, "Absent"
    BON = 1, "Bon"
    MOYEN = 2, "Moyen"
    DEGRADE = 3, "Dégradé"
    MAUVAIS = 4, "Mauvais"
    TRES_MAUVAIS = 5, "Très mauvais"
    EXTREMEMENT_MAUVAIS = 6, "Extrêmement mauvais"
    EVENEMENT = 7, "Événement"
