from django.db import models
from django.urls import reverse


class Publication(models.Model):
    """One published version of a dataset: its files are immutable, the latest one is online."""

    jeu = models.ForeignKey("gouvernance.JeuDeDonnees", on_delete=models.CASCADE, related_name="publications")
    version = models.PositiveIntegerField()
    checksum = models.CharField("empreinte SHA-256 (CSV)", max_length=64)
    lignes = models.PositiveIntegerField()
    duree = models.FloatField("durée (s)")
    created_at = models.DateTimeField("publiée le", auto_now_add=True)

    class Meta:
        ordering = ["jeu", "-version"]
        get_latest_by = "version"
        constraints = [models.UniqueConstraint(fields=["jeu", "version"], name="publication_version_unique")]

    def __str__(self):
        return f"{self.jeu} v{self.version}"


class Ressource(models.Model):
    """A file of a publication (CSV, GeoJSON, Parquet)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="ressources")
    format = models.CharField(max_length=10)
    fichier = models.CharField(max_length=300, help_text="Nom dans le stockage des médias")
    media_type = models.CharField(max_length=60)
    taille = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["publication", "format"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "format"], name="ressource_format_unique")
        ]

    def __str__(self):
        return self.fichier

    def get_absolute_url(self):
        return reverse(
            "opendata:version",
            kwargs={
                "slug": self.publication.jeu.slug,
                "version": self.publication.version,
                "format": self.format,
            },
        )


class Issue(models.TextChoices):
    PUBLIEE = "publiee", "Nouvelle version publiée"
    INCHANGEE = "inchangee", "Données inchangées : pas de nouvelle version"
    REFUSEE = "refusee", "Refusée : jeu non publiable"
    ECHEC = "echec", "Échec (la version précédente reste en ligne)"


class JournalPublication(models.Model):
    """Every run of the publication task, whatever its outcome (refusals included)."""

    jeu = models.ForeignKey("gouvernance.JeuDeDonnees", on_delete=models.CASCADE, related_name="journal")
    issue = models.CharField(max_length=10, choices=Issue.choices)
    message = models.TextField(blank=True)
    publication = models.ForeignKey(Publication, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "journal de publication"
        verbose_name_plural = "journal des publications"

    def __str__(self):
        return f"{self.jeu} : {self.get_issue_display()}"


class Portail(models.TextChoices):
    CKAN = "ckan", "CKAN"
    DATAGOUV = "datagouv", "data.gouv.fr"


class DiffusionStatus(models.TextChoices):
    DIFFUSEE = "diffusee", "Diffusée"
    ECHEC = "echec", "Échec"


class Diffusion(models.Model):
    """Where a dataset stands on an external portal: its id there and the last version sent."""

    jeu = models.ForeignKey("gouvernance.JeuDeDonnees", on_delete=models.CASCADE, related_name="diffusions")
    portail = models.CharField(max_length=10, choices=Portail.choices)
    remote_id = models.CharField("identifiant sur le portail", max_length=100, blank=True)
    remote_url = models.URLField("page sur le portail", max_length=500, blank=True)
    version = models.PositiveIntegerField("dernière version diffusée", null=True, blank=True)
    status = models.CharField(max_length=10, choices=DiffusionStatus.choices, blank=True)
    message = models.TextField(blank=True)
    at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["jeu", "portail"]
        constraints = [models.UniqueConstraint(fields=["jeu", "portail"], name="diffusion_portail_unique")]

    def __str__(self):
        return f"{self.jeu} → {self.get_portail_display()}"
