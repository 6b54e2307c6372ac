from django.conf import settings
from django.db import models


class Statut(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    EN_COURS = "en_cours", "En cours"
    TERMINE = "termine", "Terminé"
    REJETE = "rejete", "Rejeté (rien n'a été importé)"
    ECHOUE = "echoue", "Échec technique"


class ImportJob(models.Model):
    """A file uploaded in the admin and imported by a Celery worker, with its outcome."""

    kind = models.CharField("type de fichier", max_length=40)
    fichier = models.FileField(upload_to="imports/%Y/%m/")
    membre = models.CharField(
        "fichier dans l'archive",
        max_length=255,
        blank=True,
        help_text=(
            "Pour une archive .zip qui contient plusieurs fichiers de données : le nom de celui à importer."
        ),
    )
    dry_run = models.BooleanField(
        "simulation",
        default=False,
        help_text=(
            "L'import est fait en entier puis annulé : mêmes contrôles et mêmes comptes, rien n'est écrit."
        ),
    )
    status = models.CharField("statut", max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    summary = models.JSONField("bilan", default=dict, blank=True)
    errors = models.JSONField("erreurs", default=list, blank=True)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de fichier"
        verbose_name_plural = "imports de fichiers"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.created_at:%d/%m/%Y %H:%M}"

    def get_kind_display(self):
        from .base import find_importer

        importer = find_importer(self.kind)
        return importer.label if importer else self.kind

    @property
    def is_running(self):
        return self.status in (Statut.EN_ATTENTE, Statut.EN_COURS)

    @property
    def progress_key(self):
        return f"imports:progress:{self.pk}"
