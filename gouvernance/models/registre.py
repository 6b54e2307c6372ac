"""The register of processing activities (GDPR article 30), kept by the DPO."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability


def can_read_register(user):
    """The DPO keeps the register; the AGD reads it (it links datasets to their treatments)."""
    return perms.has_capability(user, Capability.MANAGE_GDPR_REGISTER) or perms.has_capability(
        user, Capability.MANAGE_GOVERNANCE
    )


class BaseLegale(models.TextChoices):
    CONSENTEMENT = "6-1-a", "Consentement (art. 6-1-a)"
    CONTRAT = "6-1-b", "Exécution d'un contrat (art. 6-1-b)"
    OBLIGATION = "6-1-c", "Obligation légale (art. 6-1-c)"
    INTERETS_VITAUX = "6-1-d", "Sauvegarde des intérêts vitaux (art. 6-1-d)"
    MISSION_PUBLIQUE = "6-1-e", "Mission d'intérêt public (art. 6-1-e)"
    INTERET_LEGITIME = "6-1-f", "Intérêt légitime (art. 6-1-f)"


class TraitementQuerySet(models.QuerySet):
    def listing_recipient(self, organisation, jeu):
        """Entries covering ``jeu`` that name ``organisation`` among their recipients."""
        return self.filter(actif=True, jeux=jeu, destinataires_organisations=organisation)


class Traitement(models.Model):
    code = models.SlugField("identifiant", max_length=80, unique=True)
    nom = models.CharField(max_length=200)
    responsable = models.CharField(
        "responsable du traitement", max_length=200, default="Métropole d'Aix-Marseille-Provence"
    )
    service = models.CharField("service chargé de la mise en œuvre", max_length=200, blank=True)
    finalite = models.TextField("finalité")
    base_legale = models.CharField("base légale", max_length=6, choices=BaseLegale.choices)
    base_legale_precision = models.TextField("précision sur la base légale", blank=True)
    categories_donnees = models.TextField("catégories de données")
    donnees_sensibles = models.BooleanField("données sensibles (art. 9)", default=False)
    personnes_concernees = models.TextField("personnes concernées")
    destinataires = models.TextField("destinataires")
    destinataires_organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="traitements_destinataire",
        verbose_name="organisations destinataires",
        help_text="Partenaires qui reçoivent ces données personnelles",
    )
    transferts_hors_ue = models.TextField("transferts hors de l'Union européenne", default="Aucun")
    duree_conservation = models.TextField("durée de conservation")
    mesures_securite = models.TextField("mesures de sécurité")
    jeux = models.ManyToManyField(
        "gouvernance.JeuDeDonnees", blank=True, related_name="traitements", verbose_name="jeux de données"
    )
    actif = models.BooleanField(default=True)
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    objects = TraitementQuerySet.as_manager()

    class Meta:
        verbose_name = "activité de traitement"
        verbose_name_plural = "registre des activités de traitement"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("gouvernance:traitement", kwargs={"code": self.code})


def preregistered_treatments():
    """The portal's own treatments, as the DPO finds them after installation (then edits them)."""
    months = settings.SIGNALEMENT_PERSONAL_DATA_MONTHS
    return [
        {
            "code": "signalements",
            "nom": "Signalements de dysfonctionnements dans l'espace public",
            "service": "Direction de la relation aux usagers ; services techniques des communes",
            "finalite": (
                "Recevoir, trier et transmettre au service compétent les signalements de "
                "dysfonctionnements dans l'espace public (propreté, voirie, éclairage…), informer "
                "l'auteur du suivi, produire des statistiques anonymes de traitement."
            ),
            "base_legale": BaseLegale.MISSION_PUBLIQUE,
            "base_legale_precision": (
                "Gestion du domaine public et de la propreté, compétences de la métropole et des communes."
            ),
            "categories_donnees": (
                "Identité et coordonnées de l'auteur (adresse électronique, compte le cas échéant) ; "
                "adresse IP de dépôt ; description libre ; photographies (métadonnées EXIF supprimées) ; "
                "localisation du dysfonctionnement."
            ),
            "personnes_concernees": (
                "Habitants et usagers qui signalent ; agents qui déposent ou traitent ; personnes "
                "éventuellement visibles sur les photographies."
            ),
            "destinataires": (
                "Gestionnaires des signalements et services compétents de la métropole et des communes. "
                "Open data : données anonymisées uniquement (ni auteur, ni texte, ni photographie)."
            ),
            "duree_conservation": (
                f"Données de l'auteur (adresse électronique, adresse IP, lien au compte, soutiens) "
                f"effacées {months} mois après la clôture du signalement (réglage "
                f"SIGNALEMENT_PERSONAL_DATA_MONTHS) ; le signalement anonymisé est conservé pour les "
                f"statistiques."
            ),
            "mesures_securite": (
                "Accès par rôle et par commune ; suivi par lien à jeton non devinable ; photographies "
                "vérifiées et nettoyées de leurs métadonnées ; limite de dépôts anonymes par adresse IP ; "
                "chiffrement HTTPS ; journal des changements de statut ; effacement automatique planifié."
            ),
        },
    ]


def preregister(apps=None):
    """Create the missing pre-registered entries; an entry the DPO edited is left as it is."""
    model = apps.get_model("gouvernance", "Traitement") if apps else Traitement
    created = 0
    for entry in preregistered_treatments():
        code = entry.pop("code")
        created += model.objects.get_or_create(code=code, defaults=entry)[1]
    return created
