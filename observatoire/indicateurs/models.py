from django.contrib.postgres.fields import ArrayField
from django.db import models, transaction
from django.db.models import OuterRef, Subquery

from observatoire.observatoires.enums import Visibilite
from observatoire.observatoires.models import visibilities_for
from observatoire.territoires.models import Commune, Epci, Zone

from . import cache


class Niveau(models.TextChoices):
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI"
    ZONE = "zone", "Zone infra-communale"


class IndicateurQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visibilite__in=visibilities_for(user))

    def ensure(self, code, observatoire=None, rubrique=None, **fields):
        """Create or update an indicator computed by an app (``observatoire``/``rubrique`` as slugs)."""
        from observatoire.observatoires.models import Observatoire, Rubrique

        if observatoire:
            fields["observatoire"] = Observatoire.objects.filter(slug=observatoire).first()
        if observatoire and rubrique:
            fields["rubrique"] = Rubrique.objects.filter(
                observatoire__slug=observatoire, slug=rubrique
            ).first()
        indicateur, _ = self.update_or_create(code=code, defaults=fields)
        return indicateur

    def refresh_dernier_millesime(self):
        """Each indicator's latest millésime that has a value, derived from its stored values."""
        latest = (
            Valeur.objects.filter(indicateur=OuterRef("pk"), valeur__isnull=False)
            .order_by("-millesime")
            .values("millesime")[:1]
        )
        return self.update(dernier_millesime=Subquery(latest))


class Indicateur(models.Model):
    code = models.SlugField(max_length=80, unique=True)
    libelle = models.CharField("libellé", max_length=200)
    unite = models.CharField("unité", max_length=40)
    definition = models.TextField("définition")
    methode = models.TextField("méthode", blank=True)
    source = models.CharField(max_length=200)
    observatoire = models.ForeignKey(
        "observatoires.Observatoire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicateurs",
    )
    rubrique = models.ForeignKey(
        "observatoires.Rubrique",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicateurs",
    )
    niveaux = ArrayField(models.CharField(max_length=10, choices=Niveau.choices), default=list)
    visibilite = models.CharField(
        "visibilité", max_length=12, choices=Visibilite.choices, default=Visibilite.PUBLIC
    )
    dernier_millesime = models.PositiveSmallIntegerField("dernier millésime", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IndicateurQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.libelle


class ValeurQuerySet(models.QuerySet):
    def upsert(self, valeurs, batch_size=2000):
        """Insert or update values on (indicateur, territory, millésime): recomputing is idempotent."""
        self.bulk_create(
            valeurs,
            update_conflicts=True,
            unique_fields=["indicateur", "commune", "epci", "zone", "millesime"],
            update_fields=["valeur"],
            batch_size=batch_size,
        )
        # Pages and charts computed from the old values are cached: forget them after commit.
        transaction.on_commit(cache.bump)
        return len(valeurs)


class Valeur(models.Model):
    """One value of an indicator for one territory (commune, EPCI or infra-communal zone) and one year."""

    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    epci = models.ForeignKey(Epci, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    millesime = models.PositiveSmallIntegerField("millésime")
    valeur = models.FloatField(null=True)

    objects = ValeurQuerySet.as_manager()

    class Meta:
        ordering = ["indicateur", "millesime"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commune__isnull=False, epci__isnull=True, zone__isnull=True)
                | models.Q(commune__isnull=True, epci__isnull=False, zone__isnull=True)
                | models.Q(commune__isnull=True, epci__isnull=True, zone__isnull=False),
                name="valeur_un_seul_territoire",
            ),
            models.UniqueConstraint(
                fields=["indicateur", "commune", "epci", "zone", "millesime"],
                name="valeur_unique",
                nulls_distinct=False,
            ),
        ]
        indexes = [models.Index(fields=["indicateur", "millesime"])]

    def __str__(self):
        return f"{self.indicateur_id} {self.millesime} : {self.valeur}"
