"""How a service receives reports: e-mail (default), its own Open311 server, or a signed webhook.

Declared under the ``signalements`` app (imported at the end of ``signalements/models.py``).
"""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


def new_secret():
    return secrets.token_urlsafe(32)


class Mode(models.TextChoices):
    EMAIL = "email", "Courriel"
    OPEN311 = "open311", "Open311 (GeoReport v2)"
    WEBHOOK = "webhook", "Webhook JSON signé"


class Liaison(models.Model):
    """The link to one service's own system; a service without one gets e-mails."""

    service = models.OneToOneField("signalements.Service", on_delete=models.CASCADE, related_name="liaison")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.EMAIL)
    # Open311: base URL ending in /v2/ (``requests.json`` is appended), key and jurisdiction on their side.
    open311_url = models.URLField("adresse Open311", blank=True)
    open311_api_key = models.CharField("clé d'API Open311", max_length=200, blank=True)
    open311_jurisdiction = models.CharField("jurisdiction_id", max_length=50, blank=True)
    open311_codes = models.JSONField(
        "codes de service", default=dict, blank=True, help_text="Notre code de catégorie → leur service_code."
    )
    suivi_par_sondage = models.BooleanField(
        "interroger leur serveur", default=True, help_text="Lire l'état de leurs demandes (requests/{id})."
    )
    webhook_url = models.URLField("adresse du webhook", blank=True)
    # Signs what we send (HMAC-SHA256) and checks what they send back to us.
    secret = models.CharField(max_length=100, default=new_secret)
    is_active = models.BooleanField("active", default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "signalements"
        verbose_name = "liaison avec un service"
        verbose_name_plural = "liaisons avec les services"

    def __str__(self):
        return f"{self.service} : {self.get_mode_display()}"

    def clean(self):
        errors = {}
        if self.mode == Mode.OPEN311:
            if not self.open311_url:
                errors["open311_url"] = "L'adresse de leur serveur Open311 est nécessaire dans ce mode."
            if not self.open311_api_key:
                errors["open311_api_key"] = "Leur serveur demande une clé d'API pour déposer."
        if self.mode == Mode.WEBHOOK and not self.webhook_url:
            errors["webhook_url"] = "L'adresse du webhook est nécessaire dans ce mode."
        codes = self.open311_codes
        if not isinstance(codes, dict) or not all(isinstance(v, str) and v for v in codes.values()):
            errors["open311_codes"] = (
                'Un objet {"notre code": "leur service_code"}, par exemple {"proprete": "PROP-01"}.'
            )
        if errors:
            raise ValidationError(errors)


class EtatEnvoi(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ENVOYE = "envoye", "Envoyé"
    ECHEC = "echec", "En échec"
    ABANDONNE = "abandonne", "Abandonné"


class Envoi(models.Model):
    """Outbox of one report sent to one service's system; retried until sent, then followed."""

    signalement = models.ForeignKey(
        "signalements.Signalement", on_delete=models.CASCADE, related_name="envois"
    )
    service = models.ForeignKey("signalements.Service", on_delete=models.CASCADE, related_name="envois")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    # Sent as Idempotency-Key: a retry after a lost answer does not file twice on their side.
    cle = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    etat = models.CharField(max_length=20, choices=EtatEnvoi.choices, default=EtatEnvoi.EN_ATTENTE)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Their identifier (Open311 service_request_id) and the last state we read from them.
    reference_externe = models.CharField(max_length=100, blank=True)
    etat_externe = models.CharField(max_length=200, blank=True)
    suivi_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "signalements"
        ordering = ["-created_at"]
        verbose_name = "envoi à un service"
        indexes = [models.Index(fields=["etat", "next_attempt_at"], name="envoi_a_faire")]

    def __str__(self):
        return f"{self.get_mode_display()} vers {self.service_id} : {self.get_etat_display()}"


class EvenementEntrant(models.Model):
    """A webhook call received from a service; its id makes a replay harmless."""

    liaison = models.ForeignKey(Liaison, on_delete=models.CASCADE, related_name="evenements")
    event_id = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField()
    applied = models.BooleanField(default=False)
    error = models.TextField(blank=True)

    class Meta:
        app_label = "signalements"
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["liaison", "event_id"], name="evenement_unique")]

    def __str__(self):
        return f"Événement {self.event_id}"
