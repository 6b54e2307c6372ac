from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import Point

from .enums import ZoneType
from .geometry import in_work_area

SRID = settings.STORAGE_SRID


class Epci(models.Model):
    """Établissement public de coopération intercommunale (métropole, CA, CC…)."""

    siren = models.CharField("SIREN", max_length=9, unique=True)
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=10, help_text="ME, CU, CA, CC")
    population = models.PositiveIntegerField(default=0)
    geom = models.MultiPolygonField(srid=SRID, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class CommuneQuerySet(models.QuerySet):
    def containing(self, lon, lat):
        """Communes whose boundary contains a WGS84 point (at most one).

        The point is transformed by PostGIS in the query: a GDAL transform in Python
        costs about 10 ms per call.
        """
        if not in_work_area(lon, lat):
            return self.none()
        return self.filter(geom__contains=Point(lon, lat, srid=4326))

    def with_wgs84(self):
        return self.annotate(geom_wgs84=Transform("geom", 4326))


class Commune(models.Model):
    insee = models.CharField("code INSEE", max_length=5, unique=True)
    nom = models.CharField(max_length=200)
    population = models.PositiveIntegerField("population municipale", default=0)
    departement = models.CharField(max_length=3)
    epci = models.ForeignKey(Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes")
    geom = models.MultiPolygonField(srid=SRID)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]

    def __str__(self):
        return f"{self.nom} ({self.insee})"

    @classmethod
    def for_official_code(cls, code):
        """The commune behind an official code, arrondissement codes included.

        DVF and INSEE files identify Marseille, Lyon and Paris by their
        arrondissements municipaux (13201–13216 for Marseille): they map here to
        the commune that holds them.
        """
        code = str(code).strip().zfill(5)
        commune = cls.objects.filter(insee=code).first()
        if commune is None:
            zone = (
                Zone.objects.select_related("commune").filter(type=ZoneType.ARRONDISSEMENT, code=code).first()
            )
            commune = zone.commune if zone else None
        return commune


class Zone(models.Model):
    """An infra-communal zone: arrondissement municipal, IRIS, QPV…"""

    type = models.CharField(max_length=5, choices=ZoneType.choices)
    code = models.CharField(max_length=20)
    nom = models.CharField(max_length=200)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="zones")
    population = models.PositiveIntegerField(null=True, blank=True)
    geom = models.MultiPolygonField(srid=SRID)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["type", "code"]
        constraints = [models.UniqueConstraint(fields=["type", "code"], name="zone_unique_type_code")]

    def __str__(self):
        return f"{self.nom} ({self.get_type_display()} {self.code})"
