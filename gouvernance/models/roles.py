"""Who holds the data-governance functions (AGD, DPO, RSSI) and who stands in for them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Fonction(models.TextChoices):
    AGD = "agd", "Administrateur général des données (AGD)"
    DPO = "dpo", "Délégué à la protection des données (DPO)"
    RSSI = "rssi", "Responsable de la sécurité des systèmes d'information (RSSI)"


MISSIONS = {
    Fonction.AGD: "Garant du patrimoine de données : inventaire, qualité, ouverture et droits d'accès.",
    Fonction.DPO: "Veille au respect du RGPD et tient le registre des activités de traitement.",
    Fonction.RSSI: "Fixe les règles de sécurité des systèmes d'information et contrôle les accès.",
}


class DesignationQuerySet(models.QuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(fin__isnull=True) | Q(fin__gte=day), debut__lte=day)


class Designation(models.Model):
    """One person (an account, or a name only) designated to a function, possibly as a delegate."""

    fonction = models.CharField(max_length=10, choices=Fonction.choices)
    personne = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="designations",
        help_text="Compte du portail, le cas échéant",
    )
    nom = models.CharField(max_length=200, blank=True, help_text="À défaut de compte, ou pour l'affichage")
    service = models.CharField(max_length=200, blank=True)
    delegue = models.BooleanField("suppléant ou délégué", default=False)
    contact = models.EmailField(
        "adresse fonctionnelle",
        help_text="Boîte partagée de la fonction (publiée) ; jamais l'adresse personnelle de l'agent.",
    )
    debut = models.DateField("début")
    fin = models.DateField(null=True, blank=True)

    objects = DesignationQuerySet.as_manager()

    class Meta:
        verbose_name = "désignation"
        ordering = ["fonction", "delegue", "-debut"]
        constraints = [
            models.CheckConstraint(
                condition=Q(personne__isnull=False) | ~Q(nom=""), name="designation_personne_ou_nom"
            ),
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(fin__gte=models.F("debut")), name="designation_dates"
            ),
        ]

    def __str__(self):
        return f"{self.get_fonction_display()} : {self.display_name}"

    @property
    def display_name(self):
        if self.nom:
            return self.nom
        return self.personne.get_full_name() if self.personne else ""

    @property
    def mission(self):
        return MISSIONS[Fonction(self.fonction)]

    def clean(self):
        if self.personne_id is None and not self.nom.strip():
            raise ValidationError("Choisissez un compte ou indiquez un nom.")
        if self.fin and self.fin < self.debut:
            raise ValidationError({"fin": "La fin précède le début."})
        if self.personne_id and self.contact.lower() == self.personne.email.lower():
            raise ValidationError(
                {"contact": "Indiquez une boîte fonctionnelle : l'adresse personnelle ne sera pas publiée."}
            )
