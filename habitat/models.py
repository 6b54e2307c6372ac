from django.db import models

from observatoire.territoires.models import Commune


class ConstructionAnnuelle(models.Model):
    """Sitadel: dwellings authorised and started in a commune, one year, one kind of dwelling."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    annee = models.PositiveSmallIntegerField("année")
    type_logement = models.CharField(max_length=40)
    logements_autorises = models.PositiveIntegerField()
    # Empty while the SDES does not know the year's starts yet (its latest year): unknown, not zero.
    logements_commences = models.PositiveIntegerField(null=True, blank=True)
    surface_autorisee = models.PositiveIntegerField("surface de plancher autorisée (m²)")
    surface_commencee = models.PositiveIntegerField(
        "surface de plancher commencée (m²)", null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "construction annuelle (Sitadel)"
        constraints = [
            models.UniqueConstraint(fields=["commune", "annee", "type_logement"], name="sitadel_unique_ligne")
        ]

    def __str__(self):
        return f"{self.commune_id} {self.annee} {self.type_logement}"


class LogementRecensement(models.Model):
    """INSEE census, « base-cc-logement »: the housing stock of a commune for one census millésime.

    Values are INSEE's weighted estimates, hence decimals; a column absent from an older
    millésime stays empty.
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    millesime = models.PositiveSmallIntegerField("millésime")
    logements = models.FloatField(null=True)
    residences_principales = models.FloatField("résidences principales", null=True)
    residences_secondaires = models.FloatField("résidences secondaires et logements occasionnels", null=True)
    logements_vacants = models.FloatField(null=True)
    maisons = models.FloatField(null=True)
    appartements = models.FloatField(null=True)
    rp_proprietaires = models.FloatField("résidences principales occupées par leur propriétaire", null=True)
    rp_locataires = models.FloatField("résidences principales louées", null=True)
    rp_locataires_hlm = models.FloatField("résidences principales louées HLM vides", null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "logements au recensement (INSEE)"
        verbose_name_plural = "logements au recensement (INSEE)"
        constraints = [
            models.UniqueConstraint(fields=["commune", "millesime"], name="insee_logement_unique_millesime")
        ]

    def __str__(self):
        return f"{self.commune_id} {self.millesime}"


class ParcSocial(models.Model):
    """RPLS: the social housing stock of a commune on 1 January of the millésime (SDES)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    millesime = models.PositiveSmallIntegerField("millésime (au 1er janvier)")
    nb_ls = models.PositiveIntegerField("logements sociaux")
    nb_loues = models.PositiveIntegerField("logements loués", null=True)
    nb_vacants = models.PositiveIntegerField("logements vacants", null=True)
    nb_vides = models.PositiveIntegerField("logements vides", null=True)
    nb_ls_en_qpv = models.PositiveIntegerField("logements sociaux en QPV", null=True)
    tx_vac = models.FloatField("taux de vacance (%)", null=True)
    tx_vac3 = models.FloatField("taux de vacance de plus de 3 mois (%)", null=True)
    tx_mob = models.FloatField("taux de mobilité (%)", null=True)
    loymoy = models.FloatField("loyer moyen (€/m² de surface habitable)", null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "parc locatif social (RPLS)"
        verbose_name_plural = "parc locatif social (RPLS)"
        constraints = [models.UniqueConstraint(fields=["commune", "millesime"], name="rpls_unique_millesime")]

    def __str__(self):
        return f"{self.commune_id} {self.millesime}"


class ObjectifPlh(models.Model):
    """A commune's yearly housing production objective over one PLH period (file kept by the metropolis)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    annee_debut = models.PositiveSmallIntegerField("première année")
    annee_fin = models.PositiveSmallIntegerField("dernière année")
    objectif_logements_par_an = models.FloatField("objectif (logements par an)")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "objectif PLH"
        verbose_name_plural = "objectifs PLH"
        constraints = [
            models.UniqueConstraint(fields=["commune", "annee_debut"], name="plh_unique_periode"),
            models.CheckConstraint(
                condition=models.Q(annee_fin__gte=models.F("annee_debut")), name="plh_periode"
            ),
        ]

    def __str__(self):
        return f"{self.commune_id} {self.annee_debut}–{self.annee_fin}"
