"""Transport offer (GTFS), population grid, home-to-work flows and commuting modes."""

from django.contrib.gis.db import models as gis
from django.db import models

from observatoire.territoires.models import Commune


class Reseau(models.Model):
    """One GTFS feed, keyed by its agencies' names: a new feed of the same network replaces it."""

    nom = models.CharField(max_length=200, unique=True)
    jour_type = models.DateField(
        "jour de semaine type", help_text="Mardi le plus chargé de la période de validité du flux."
    )
    debut = models.DateField("début de validité", null=True)
    fin = models.DateField("fin de validité", null=True)
    courses = models.PositiveIntegerField("courses du jour type", default=0)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réseau de transport (GTFS)"
        verbose_name_plural = "réseaux de transport (GTFS)"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Ligne(models.Model):
    """A GTFS route, drawn through the stops of one representative trip per direction."""

    reseau = models.ForeignKey(Reseau, on_delete=models.CASCADE, related_name="lignes")
    route_id = models.CharField(max_length=100)
    nom_court = models.CharField("nom court", max_length=100, blank=True)
    nom_long = models.CharField("nom long", max_length=300, blank=True)
    type = models.PositiveSmallIntegerField(help_text="route_type GTFS (0 tram, 1 métro, 3 bus…)")
    couleur = models.CharField(max_length=6, blank=True)
    couleur_texte = models.CharField("couleur du texte", max_length=6, blank=True)
    courses = models.PositiveIntegerField("courses du jour type", default=0)
    geom = gis.MultiLineStringField(srid=2154, null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reseau", "route_id"], name="ligne_unique_route")]
        ordering = ["reseau", "type", "nom_court"]

    def __str__(self):
        return self.nom_court or self.nom_long or self.route_id


class Arret(models.Model):
    """A GTFS boarding stop with its passages on the typical weekday (stop_times aggregated)."""

    reseau = models.ForeignKey(Reseau, on_delete=models.CASCADE, related_name="arrets")
    stop_id = models.CharField(max_length=100)
    nom = models.CharField(max_length=200)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, related_name="+")
    passages = models.PositiveIntegerField("passages du jour type", default=0)
    lignes = models.CharField("lignes desservant l'arrêt", max_length=500, blank=True)
    geom = gis.PointField(srid=2154)

    class Meta:
        verbose_name = "arrêt"
        constraints = [models.UniqueConstraint(fields=["reseau", "stop_id"], name="arret_unique_stop")]
        indexes = [models.Index(fields=["passages"])]

    def __str__(self):
        return self.nom


class Carreau(models.Model):
    """A 200 m cell of INSEE's gridded population (Filosofi), located by its centre."""

    idcar = models.CharField(max_length=40, unique=True, help_text="Idcar_200m tel que publié")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    population = models.FloatField(help_text="Ind : individus")
    centre = gis.PointField(srid=2154)

    class Meta:
        verbose_name = "carreau de population (200 m)"
        verbose_name_plural = "carreaux de population (200 m)"

    def __str__(self):
        return self.idcar


class Flux(models.Model):
    """Employed people living in a commune and working in another place (INSEE mobilités pro)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    millesime = models.PositiveSmallIntegerField("millésime")
    code_travail = models.CharField("lieu de travail (DCLT)", max_length=5)
    libelle_travail = models.CharField("libellé du lieu de travail", max_length=200)
    commune_travail = models.ForeignKey(
        Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actifs = models.FloatField("actifs occupés")

    class Meta:
        verbose_name = "flux domicile-travail"
        verbose_name_plural = "flux domicile-travail"
        constraints = [
            models.UniqueConstraint(fields=["commune", "millesime", "code_travail"], name="flux_unique")
        ]

    def __str__(self):
        return f"{self.commune_id} → {self.code_travail} ({self.millesime})"


class ModesTransport(models.Model):
    """Employed people by main mode of transport to work, one commune and one census (base-cc)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    millesime = models.PositiveSmallIntegerField("millésime")
    actifs = models.FloatField("actifs occupés de 15 ans ou plus")
    pas_de_transport = models.FloatField()
    marche = models.FloatField("marche à pied")
    velo = models.FloatField("vélo")
    deux_roues_motorises = models.FloatField("deux-roues motorisé")
    voiture = models.FloatField("voiture, camion, fourgonnette")
    transports_en_commun = models.FloatField()

    class Meta:
        verbose_name = "modes de transport domicile-travail"
        verbose_name_plural = "modes de transport domicile-travail"
        constraints = [models.UniqueConstraint(fields=["commune", "millesime"], name="modes_unique")]

    def __str__(self):
        return f"{self.commune_id} {self.millesime}"
