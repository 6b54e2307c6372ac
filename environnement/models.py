"""Natural risks (Géorisques GASPAR), air quality (ATMO index, emissions), protected areas (INPN)."""

from django.contrib.gis.db import models

from observatoire.territoires.models import Commune

from .enums import FamillePpr, QualiteAir, TypeEspace


class ArreteCatnat(models.Model):
    """GASPAR: a natural-disaster (CatNat) decree for one commune and one peril."""

    cod_nat_catnat = models.CharField("code national CatNat", max_length=30)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    num_risque_jo = models.CharField("code du péril", max_length=20)
    lib_risque_jo = models.CharField("péril", max_length=250)
    dat_deb = models.DateField("début de l'événement", null=True, blank=True)
    dat_fin = models.DateField("fin de l'événement", null=True, blank=True)
    dat_pub_arrete = models.DateField("date de l'arrêté", null=True, blank=True)
    dat_pub_jo = models.DateField("publication au Journal officiel", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "arrêté CatNat (GASPAR)"
        verbose_name_plural = "arrêtés CatNat (GASPAR)"
        constraints = [
            models.UniqueConstraint(
                fields=["cod_nat_catnat", "commune", "num_risque_jo"], name="catnat_unique_commune_peril"
            )
        ]

    def __str__(self):
        return f"{self.cod_nat_catnat} {self.commune_id} {self.lib_risque_jo}"


class PlanPrevention(models.Model):
    """GASPAR: a risk-prevention plan (PPR) covering one commune, for one hazard."""

    cod_nat_ppr = models.CharField("code national du PPR", max_length=40)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    lib_ppr = models.CharField("libellé", max_length=300, blank=True)
    famille = models.CharField(max_length=4, choices=FamillePpr.choices)
    cod_risque = models.CharField("code de l'aléa", max_length=30)
    lib_risque = models.CharField("aléa", max_length=250, blank=True)
    dat_prescription = models.DateField("prescription", null=True, blank=True)
    dat_approbation = models.DateField("approbation", null=True, blank=True)
    dat_abrogation = models.DateField("abrogation", null=True, blank=True)
    etat = models.CharField("état de la procédure", max_length=80, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "plan de prévention des risques (GASPAR)"
        verbose_name_plural = "plans de prévention des risques (GASPAR)"
        constraints = [
            models.UniqueConstraint(
                fields=["cod_nat_ppr", "commune", "cod_risque"], name="ppr_unique_commune_alea"
            )
        ]

    def __str__(self):
        return f"{self.cod_nat_ppr} {self.commune_id} {self.lib_risque}"


class IndiceAtmo(models.Model):
    """The daily ATMO index of a commune (national Atmo format; AtmoSud for the region).

    Sub-indices are the pollutants' classes (1–6) on the same scale; empty when not published.
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    date_ech = models.DateField("jour")
    code_qual = models.PositiveSmallIntegerField("indice", choices=QualiteAir.choices)
    lib_qual = models.CharField("qualificatif", max_length=40, blank=True)
    code_no2 = models.PositiveSmallIntegerField("sous-indice NO2", null=True, blank=True)
    code_o3 = models.PositiveSmallIntegerField("sous-indice O3", null=True, blank=True)
    code_pm10 = models.PositiveSmallIntegerField("sous-indice PM10", null=True, blank=True)
    code_pm25 = models.PositiveSmallIntegerField("sous-indice PM2,5", null=True, blank=True)
    code_so2 = models.PositiveSmallIntegerField("sous-indice SO2", null=True, blank=True)
    source = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "indice ATMO"
        verbose_name_plural = "indices ATMO"
        constraints = [models.UniqueConstraint(fields=["commune", "date_ech"], name="atmo_unique_jour")]

    def __str__(self):
        return f"{self.commune_id} {self.date_ech} {self.code_qual}"


class EmissionCommune(models.Model):
    """Emissions of one pollutant by one sector in a commune for one year, from one inventory release.

    Each release of the regional inventory recomputes past years: ``version`` keeps them apart and
    the indicators read the latest release only.
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    annee = models.PositiveSmallIntegerField("année")
    secteur = models.CharField(max_length=150)
    polluant = models.CharField(max_length=40)
    valeur = models.FloatField(null=True, blank=True)
    unite = models.CharField("unité", max_length=30)
    version = models.CharField("version de l'inventaire", max_length=80)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "émission par commune (inventaire régional)"
        verbose_name_plural = "émissions par commune (inventaire régional)"
        constraints = [
            models.UniqueConstraint(
                fields=["version", "commune", "annee", "secteur", "polluant"], name="emission_unique"
            )
        ]

    def __str__(self):
        return f"{self.version} {self.commune_id} {self.annee} {self.secteur} {self.polluant}"


class EspaceNaturel(models.Model):
    """A protected or inventoried natural area (INPN layer), in Lambert-93."""

    type = models.CharField(max_length=20, choices=TypeEspace.choices)
    identifiant = models.CharField("identifiant national", max_length=40)
    nom = models.CharField(max_length=300)
    millesime = models.PositiveSmallIntegerField("millésime de la couche")
    geom = models.MultiPolygonField(srid=2154)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "espace naturel (INPN)"
        verbose_name_plural = "espaces naturels (INPN)"
        constraints = [
            models.UniqueConstraint(fields=["type", "identifiant"], name="espace_unique_identifiant")
        ]

    def __str__(self):
        return f"{self.get_type_display()} {self.identifiant} {self.nom}"


class CouvertureCommune(models.Model):
    """Share of a commune covered by one type of area, overlapping zones merged (PostGIS).

    ``type`` empty: every type merged together (a commune's land under any protection or inventory).
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=20, choices=TypeEspace.choices, blank=True)
    millesime = models.PositiveSmallIntegerField("millésime")
    surface_ha = models.FloatField("surface couverte (ha)")
    part = models.FloatField("part de la commune (%)")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "couverture d'une commune par les espaces naturels"
        verbose_name_plural = "couvertures des communes par les espaces naturels"
        constraints = [
            models.UniqueConstraint(fields=["commune", "type", "millesime"], name="couverture_unique")
        ]

    def __str__(self):
        return f"{self.commune_id} {self.type or 'tous'} {self.millesime} {self.part:.1f} %"
