"""Local taxation (REI), consolidated accounts (OFGL) and the criteria of the state's grants (DGCL)."""

from django.db import models

from observatoire.territoires.models import Commune, Epci


class ElementImposition(models.Model):
    """REI (DGFiP): one variable of one commune for one tax year.

    ``valeur`` empty with ``secret``: the DGFiP left the cell empty under statistical secrecy,
    which is not zero. ``element`` is one of ``enums.Element``.
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    annee = models.PositiveSmallIntegerField("année d'imposition")
    element = models.CharField("élément", max_length=40)
    valeur = models.FloatField(null=True, blank=True)
    secret = models.BooleanField("secret statistique", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "élément d'imposition (REI)"
        verbose_name_plural = "éléments d'imposition (REI)"
        constraints = [
            models.UniqueConstraint(fields=["commune", "annee", "element"], name="rei_unique_element")
        ]
        indexes = [models.Index(fields=["element", "annee"])]

    def __str__(self):
        return f"{self.commune_id} {self.annee} {self.element}"


class AgregatComptable(models.Model):
    """OFGL consolidated accounts: one agrégat of a commune or a groupement for one financial year.

    ``montant`` is in euros, main and annex budgets summed where the agrégat is consolidated;
    ``population`` is the one the OFGL uses for per-inhabitant figures that year.
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    epci = models.ForeignKey(Epci, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    exercice = models.PositiveSmallIntegerField()
    agregat = models.CharField("agrégat", max_length=150)
    montant = models.FloatField("montant (€)", null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "agrégat comptable (OFGL)"
        verbose_name_plural = "agrégats comptables (OFGL)"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commune__isnull=False, epci__isnull=True)
                | models.Q(commune__isnull=True, epci__isnull=False),
                name="agregat_un_seul_territoire",
            ),
            models.UniqueConstraint(
                fields=["commune", "epci", "exercice", "agregat"],
                name="agregat_unique",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.commune_id or self.epci_id} {self.exercice} {self.agregat}"


class CriteresDotation(models.Model):
    """DGCL « critères de répartition des dotations » of a commune for one year.

    From 2022 the potentials are the « final » ones (after the reform of the indicators); the
    stratum averages are per inhabitant, as the DGCL publishes them.
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    annee = models.PositiveSmallIntegerField("année")
    population_dgf = models.PositiveIntegerField("population DGF", null=True, blank=True)
    population_insee = models.PositiveIntegerField("population INSEE", null=True, blank=True)
    strate = models.CharField("strate démographique", max_length=80, blank=True)
    potentiel_fiscal = models.FloatField("potentiel fiscal (€)", null=True, blank=True)
    potentiel_financier = models.FloatField("potentiel financier (€)", null=True, blank=True)
    potentiel_financier_par_habitant = models.FloatField(
        "potentiel financier par habitant (€)", null=True, blank=True
    )
    potentiel_financier_moyen_strate = models.FloatField(
        "potentiel financier moyen par habitant de la strate (€)", null=True, blank=True
    )
    effort_fiscal = models.FloatField(null=True, blank=True)
    effort_fiscal_moyen_strate = models.FloatField("effort fiscal moyen de la strate", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "critères de répartition des dotations (DGCL)"
        verbose_name_plural = "critères de répartition des dotations (DGCL)"
        constraints = [models.UniqueConstraint(fields=["commune", "annee"], name="dgcl_unique_annee")]

    def __str__(self):
        return f"{self.commune_id} {self.annee}"
