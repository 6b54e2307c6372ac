"""Access of partners to restricted datasets: requests, decisions, expiry, and the download audit."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from ..enums import Sensibilite
from .registre import Traitement


class StatutDemande(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente de décision"
    ACCORDEE = "accordee", "Accordée"
    REFUSEE = "refusee", "Refusée"
    EXPIREE = "expiree", "Expirée"
    REVOQUEE = "revoquee", "Révoquée"


TRANSITIONS = {
    StatutDemande.EN_ATTENTE: {StatutDemande.ACCORDEE, StatutDemande.REFUSEE},
    StatutDemande.ACCORDEE: {StatutDemande.EXPIREE, StatutDemande.REVOQUEE},
    StatutDemande.REFUSEE: set(),
    StatutDemande.EXPIREE: set(),
    StatutDemande.REVOQUEE: set(),
}


@dataclass(frozen=True)
class RegisterGap:
    """What the GDPR register lacks before personal data may go to a requester's organisation."""

    jeu: object
    organisation: object  # None: the requester belongs to no organisation
    traitements: list  # active register entries covering the dataset (possibly none)

    @property
    def message(self):
        if self.organisation is None:
            return (
                "Le demandeur n'est rattaché à aucune organisation : des données personnelles ne "
                "vont qu'à une organisation inscrite comme destinataire au registre. Rattachez "
                "d'abord son compte à son organisation, puis inscrivez-la au registre."
            )
        if not self.traitements:
            return (
                f"Aucune activité de traitement du registre ne couvre le jeu « {self.jeu.titre} ». "
                f"Avant d'accorder l'accès, inscrivez ce traitement au registre (avec ce jeu de "
                f"données) et « {self.organisation} » parmi ses organisations destinataires."
            )
        names = ", ".join(f"« {t.nom} »" for t in self.traitements)
        return (
            f"Le registre des activités de traitement ne nomme pas « {self.organisation} » parmi les "
            f"destinataires de {names} : accordé, l'accès ne permettrait jamais de télécharger. "
            f"Ajoutez d'abord cette organisation aux organisations destinataires du traitement."
        )


class DemandeAccesQuerySet(models.QuerySet):
    def valid(self, now=None):
        """Granted and not yet expired (checked on every download, not only by the nightly sweep)."""
        return self.filter(status=StatutDemande.ACCORDEE, expires_at__gt=now or timezone.now())


class DemandeAcces(models.Model):
    jeu = models.ForeignKey("gouvernance.JeuDeDonnees", on_delete=models.CASCADE, related_name="demandes")
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demandes_acces"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_acces",
    )
    finalite = models.TextField("finalité", help_text="À quoi serviront les données ?")
    duree_mois = models.PositiveSmallIntegerField("durée demandée (mois)")
    status = models.CharField(
        "statut", max_length=12, choices=StatutDemande.choices, default=StatutDemande.EN_ATTENTE
    )
    motif_decision = models.TextField("motif de la décision", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField("fin de l'accès", null=True, blank=True)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)

    objects = DemandeAccesQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'accès"
        verbose_name_plural = "demandes d'accès"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=StatutDemande.ACCORDEE) | models.Q(expires_at__isnull=False),
                name="acces_accorde_avec_echeance",
            )
        ]

    def __str__(self):
        return f"{self.demandeur} → {self.jeu} ({self.get_status_display()})"

    @property
    def is_valid(self):
        return self.status == StatutDemande.ACCORDEE and self.expires_at > timezone.now()

    def register_gap(self):
        """Personal data goes only to an organisation the register names as recipient (what the
        download checks too): the gap to fill first, or None when a grant would be usable."""
        if self.jeu.sensibilite != Sensibilite.PERSONNEL:
            return None
        organisation = self.demandeur.organisation
        if organisation is not None and Traitement.objects.listing_recipient(organisation, self.jeu).exists():
            return None
        return RegisterGap(self.jeu, organisation, list(Traitement.objects.filter(actif=True, jeux=self.jeu)))

    @transaction.atomic
    def transition(self, to, by, motif="", expires_at=None):
        if to not in TRANSITIONS[StatutDemande(self.status)]:
            raise ValidationError(
                f"Passage impossible de « {self.get_status_display()} » à « {StatutDemande(to).label} »."
            )
        if to == StatutDemande.REFUSEE and not motif.strip():
            raise ValidationError("Un refus doit être motivé.")
        if to == StatutDemande.ACCORDEE:
            if expires_at is None or expires_at <= timezone.now():
                raise ValidationError("Un accès accordé doit avoir une date de fin future.")
            if gap := self.register_gap():
                raise ValidationError(gap.message)
            self.expires_at = expires_at
        previous = self.status
        self.status, self.motif_decision = to, motif
        if to in (StatutDemande.ACCORDEE, StatutDemande.REFUSEE):
            self.decided_by, self.decided_at = by, timezone.now()
        self.save()
        HistoriqueDemande.objects.create(demande=self, from_status=previous, to_status=to, by=by, note=motif)


class HistoriqueDemande(models.Model):
    """Append-only: every change of an access request, with who and why."""

    demande = models.ForeignKey(DemandeAcces, on_delete=models.CASCADE, related_name="historique")
    from_status = models.CharField(max_length=12, choices=StatutDemande.choices)
    to_status = models.CharField(max_length=12, choices=StatutDemande.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"{self.demande_id} : {self.from_status} → {self.to_status}"


class Telechargement(models.Model):
    """Audit log of downloads of non-public data (granted or refused), for the AGD and the RSSI."""

    class Canal(models.TextChoices):
        WEB = "web", "Site web"
        API = "api", "API (jeton)"

    jeu = models.ForeignKey(
        "gouvernance.JeuDeDonnees", on_delete=models.PROTECT, related_name="telechargements"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    user_email = models.EmailField("utilisateur")  # kept if the account is deleted
    organisation = models.CharField(max_length=200, blank=True)
    format = models.CharField(max_length=10)
    version = models.CharField(max_length=40, help_text="Version ou date de l'extraction")
    lignes = models.PositiveIntegerField(null=True, blank=True)
    canal = models.CharField(max_length=5, choices=Canal.choices)
    autorise = models.BooleanField("autorisé")
    motif = models.CharField(max_length=300, blank=True)
    demande = models.ForeignKey(
        DemandeAcces, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "téléchargement (journal)"
        verbose_name_plural = "journal des téléchargements"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.user_email} {self.jeu_id}"
