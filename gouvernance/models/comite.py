"""The data monitoring committee: its meetings, the next one, and the reminder sent before it."""

import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability

from .documents import validate_pdf


def minutes_upload_to(instance, filename):
    return f"gouvernance/comite/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class ComiteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Governance managers see every committee; other accounts, the ones they sit on."""
        if perms.has_capability(user, Capability.MANAGE_GOVERNANCE):
            return self
        if not (user and user.is_authenticated):
            return self.none()
        return self.filter(membres=user)


class Comite(models.Model):
    nom = models.CharField(max_length=200, unique=True)
    mission = models.TextField(blank=True)
    periodicite_mois = models.PositiveSmallIntegerField("périodicité (mois)", default=2)
    rappel_jours = models.PositiveSmallIntegerField(
        "rappel (jours avant)",
        default=7,
        help_text="Les membres reçoivent un courriel ce nombre de jours avant",
    )
    membres = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="comites")

    objects = ComiteQuerySet.as_manager()

    class Meta:
        verbose_name = "comité de suivi"
        verbose_name_plural = "comités de suivi"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("gouvernance:comites")

    def next_meeting(self, today=None):
        """A meeting already planned on or after today, else the last one plus the periodicity.

        When that computed date has already passed (a meeting was skipped), the periodicity is
        added again until it lands on or after today: the committee keeps its rhythm.
        """
        today = today or timezone.localdate()
        planned = self.reunions.filter(date__gte=today).order_by("date").first()
        if planned is not None:
            return planned.date
        last = self.reunions.order_by("-date").first()
        if last is None:
            return None
        step = relativedelta(months=self.periodicite_mois)
        day, n = last.date + step, 1
        while day < today:
            n += 1
            day = last.date + step * n
        return day


class Reunion(models.Model):
    comite = models.ForeignKey(Comite, on_delete=models.CASCADE, related_name="reunions")
    date = models.DateField()
    lieu = models.CharField(max_length=200, blank=True)
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    participants_externes = models.TextField(
        "autres participants", blank=True, help_text="Partenaires présents, un par ligne"
    )
    ordre_du_jour = models.TextField("ordre du jour", blank=True)
    decisions = models.TextField("décisions", blank=True)
    compte_rendu = models.FileField(
        "compte rendu (PDF)", upload_to=minutes_upload_to, validators=[validate_pdf], blank=True
    )

    class Meta:
        verbose_name = "réunion"
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["comite", "date"], name="reunion_unique_par_jour")]

    def __str__(self):
        return f"{self.comite} du {self.date:%d/%m/%Y}"


class Rappel(models.Model):
    """One row per meeting date reminded: the unique key makes the reminder go out once."""

    comite = models.ForeignKey(Comite, on_delete=models.CASCADE, related_name="rappels")
    date_reunion = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    destinataires = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comite", "date_reunion"], name="rappel_unique_par_reunion")
        ]

    def __str__(self):
        return f"Rappel de la réunion du {self.date_reunion:%d/%m/%Y}"
