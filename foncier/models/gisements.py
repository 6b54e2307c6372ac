"""Zones of the PLU/PLUi (CNIG ``zone_urba``), the metropolis' gisements fonciers, land consumption."""

from django.conf import settings
from django.contrib.gis.db import models

from observatoire.territoires.models import Commune

__all__ = [
    "ConsommationEspace",
    "Echeance",
    "Gisement",
    "StatutGisement",
    "TypeGisement",
    "TypeZone",
    "ZonePlu",
]


class TypeZone(models.TextChoices):
    """TYPEZONE of the CNIG standard."""

    U = "U", "Urbaine (U)"
    AUC = "AUc", "À urbaniser ouverte (AUc)"
    AUS = "AUs", "À urbaniser fermée (AUs)"
    A = "A", "Agricole (A)"
    N = "N", "Naturelle et forestière (N)"


ZONES_AU = (TypeZone.AUC, TypeZone.AUS)


class ZonePluQuerySet(models.QuerySet):
    def a_urbaniser(self):
        return self.filter(typezone__in=ZONES_AU)


class ZonePlu(models.Model):
    """One zone of an urban-planning document in one commune: every polygon sharing the key.

    Key: (IDURBA, LIBELLE, INSEE). The CNIG layer often has several polygons labelled ``UA`` in
    one commune of one document; they are one zone here, a MultiPolygon.
    """

    idurba = models.CharField("identifiant du document (IDURBA)", max_length=80)
    libelle = models.CharField("libellé (LIBELLE)", max_length=40)
    insee = models.CharField("code INSEE (INSEE)", max_length=5)
    libelong = models.CharField("libellé long (LIBELONG)", max_length=254, blank=True)
    typezone = models.CharField("type de zone (TYPEZONE)", max_length=3, choices=TypeZone.choices)
    destdomi = models.CharField("destination dominante (DESTDOMI)", max_length=2, blank=True)
    nomfic = models.CharField("règlement (NOMFIC)", max_length=254, blank=True)
    urlfic = models.CharField("adresse du règlement (URLFIC)", max_length=500, blank=True)
    datappro = models.DateField("date d'approbation (DATAPPRO)", null=True, blank=True)
    datvalid = models.DateField("date de validation (DATVALID)", null=True, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    surface_m2 = models.FloatField("surface (m²)")
    geom = models.MultiPolygonField(srid=settings.STORAGE_SRID)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ZonePluQuerySet.as_manager()

    class Meta:
        verbose_name = "zone du PLU(i)"
        verbose_name_plural = "zones des PLU(i)"
        ordering = ["insee", "libelle"]
        constraints = [
            models.UniqueConstraint(fields=["idurba", "libelle", "insee"], name="zoneplu_unique_cle_cnig")
        ]
        indexes = [models.Index(fields=["typezone", "commune"])]

    def __str__(self):
        return f"{self.libelle} ({self.insee}, {self.idurba})"


class TypeGisement(models.TextChoices):
    DENT_CREUSE = "dent_creuse", "Dent creuse"
    FRICHE = "friche", "Friche"
    DIVISION = "division_parcellaire", "Division parcellaire"
    EXTENSION = "extension", "Extension urbaine"


class StatutGisement(models.TextChoices):
    IDENTIFIE = "identifie", "Identifié"
    ETUDE = "etude", "À l'étude"
    MAITRISE = "maitrise", "Foncier maîtrisé"
    PROJET = "projet", "Projet engagé"
    REALISE = "realise", "Réalisé"


class Echeance(models.TextChoices):
    COURT = "court", "Court terme (moins de 3 ans)"
    MOYEN = "moyen", "Moyen terme (3 à 6 ans)"
    LONG = "long", "Long terme (plus de 6 ans)"


class Gisement(models.Model):
    """A piece of land the metropolis' inventory sees as a potential for housing or activity."""

    id_gisement = models.CharField("identifiant", max_length=50, unique=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    nom = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=20, choices=TypeGisement.choices)
    surface_m2 = models.FloatField("surface (m²)")
    potentiel_logements = models.PositiveIntegerField("potentiel de logements", null=True, blank=True)
    statut = models.CharField(max_length=10, choices=StatutGisement.choices, default=StatutGisement.IDENTIFIE)
    echeance = models.CharField("échéance", max_length=5, choices=Echeance.choices, blank=True)
    geom = models.MultiPolygonField(srid=settings.STORAGE_SRID)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "gisement foncier"
        verbose_name_plural = "gisements fonciers"
        ordering = ["commune__nom", "id_gisement"]
        indexes = [models.Index(fields=["type", "commune"])]

    def __str__(self):
        return self.nom or self.id_gisement


class ConsommationEspace(models.Model):
    """Cerema: natural, agricultural and forest land (ENAF) turned artificial in one commune, one year.

    ``annee`` is the year of the flow: ``naf21art22`` (1 January 2021 → 1 January 2022) is 2021.
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    annee = models.PositiveSmallIntegerField("année")
    total_ha = models.FloatField("consommation d'ENAF (ha)")
    activite_ha = models.FloatField("dont activité (ha)", default=0)
    habitat_ha = models.FloatField("dont habitat (ha)", default=0)
    mixte_ha = models.FloatField("dont mixte (ha)", default=0)
    routes_ha = models.FloatField("dont routes (ha)", default=0)
    ferroviaire_ha = models.FloatField("dont ferroviaire (ha)", default=0)
    inconnu_ha = models.FloatField("dont destination inconnue (ha)", default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "consommation d'espace (Cerema)"
        verbose_name_plural = "consommations d'espace (Cerema)"
        ordering = ["commune", "annee"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "annee"], name="consommation_unique_commune_annee")
        ]

    def __str__(self):
        return f"{self.commune_id} {self.annee} : {self.total_ha} ha"
