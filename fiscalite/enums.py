from django.db import models


class Element(models.TextChoices):
    """The REI variables the portal keeps, named by tax, beneficiary and kind (base, taux, produit).

    The REI names them by code (``E12``…) or, in 2019–2022, by a long label; ``fiscalite.rei``
    maps both to these. Beneficiary « commune » is the commune's own share, « epci » the
    groupement's (the metropolis) levied on the commune's bases.
    """

    TFB_BASE_COMMUNE = "tfb_base_commune", "TFB : base nette communale"
    TFB_TAUX_COMMUNE = "tfb_taux_commune", "TFB : taux voté par la commune"
    TFB_PRODUIT_COMMUNE = "tfb_produit_commune", "TFB : produit communal"
    TFB_TAUX_EPCI = "tfb_taux_epci", "TFB : taux voté par le groupement"
    TFB_PRODUIT_EPCI = "tfb_produit_epci", "TFB : produit du groupement"
    TFNB_BASE_COMMUNE = "tfnb_base_commune", "TFNB : base nette communale"
    TFNB_TAUX_COMMUNE = "tfnb_taux_commune", "TFNB : taux voté par la commune"
    TFNB_PRODUIT_COMMUNE = "tfnb_produit_commune", "TFNB : produit communal"
    TEOM_BASE = "teom_base", "TEOM : base nette"
    TEOM_TAUX = "teom_taux", "TEOM : taux"
    TEOM_PRODUIT = "teom_produit", "TEOM : produit"
    CFE_BASE_EPCI = "cfe_base_epci", "CFE : base nette du groupement"
    CFE_TAUX_EPCI = "cfe_taux_epci", "CFE : taux voté par le groupement"
    CFE_PRODUIT_EPCI = "cfe_produit_epci", "CFE : produit du groupement"
    CFE_BASE_COMMUNE = "cfe_base_commune", "CFE : base nette communale"
    CFE_TAUX_COMMUNE = "cfe_taux_commune", "CFE : taux voté par la commune"
    CFE_PRODUIT_COMMUNE = "cfe_produit_commune", "CFE : produit communal"
    TH_BASE_COMMUNE = "th_base_commune", "TH : base nette communale"
    TH_TAUX_COMMUNE = "th_taux_commune", "TH : taux voté par la commune"
    TH_PRODUIT_COMMUNE = "th_produit_commune", "TH : produit communal"
    # From 2023 the TH remains on second homes (THRS) and other furnished dwellings only.
    THRS_BASE_COMMUNE = "thrs_base_commune", "THRS : base nette communale (résidences secondaires)"
    THRS_PRODUIT_COMMUNE = "thrs_produit_commune", "THRS : produit communal (résidences secondaires)"
    THRS_MAJORATION = "thrs_majoration", "THRS : majoration votée (%)"
