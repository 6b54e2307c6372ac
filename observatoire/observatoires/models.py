from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability
from observatoire.core.rows import row_gate_at

from .enums import DOWNLOADS, Statut, TypeContenu, Visibilite

# Which capability opens each audience (accounts.roles says who holds them).
CAPABILITY_FOR = {
    Visibilite.PARTENAIRES: Capability.VIEW_PARTNER_CONTENT,
    Visibilite.COMMUNAUX: Capability.VIEW_COMMUNAL_CONTENT,
    Visibilite.AGENTS_ELUS: Capability.VIEW_AGENT_CONTENT,
}


def visibilities_for(user):
    """The audiences whose contents ``user`` may see: public always, others by capability."""
    return [Visibilite.PUBLIC] + [v for v, c in CAPABILITY_FOR.items() if perms.has_capability(user, c)]


class Observatoire(models.Model):
    slug = models.SlugField(unique=True)
    nom = models.CharField(max_length=120)
    theme = models.CharField("thème", max_length=120)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.EN_PROJET)
    description = models.TextField(blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("observatoires:detail", kwargs={"slug": self.slug})


class Rubrique(models.Model):
    observatoire = models.ForeignKey(Observatoire, on_delete=models.CASCADE, related_name="rubriques")
    slug = models.SlugField()
    nom = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "nom"]
        constraints = [models.UniqueConstraint(fields=["observatoire", "slug"], name="rubrique_unique_slug")]

    def __str__(self):
        return f"{self.observatoire.nom} › {self.nom}"


def barred_by_row_gate(user, contenus):
    """Pks of the contents pointing at a portal view whose dataset rows ``user`` may not see.

    A content's audience says who it is meant for; the dataset it shows says who may see it. A
    « public » map of a restricted dataset is listed only to those the dataset's gate admits.
    Only the ``contenus`` queryset is checked (the site search checks only what it found).
    """
    barred, allowed = [], {}
    for pk, url in contenus.exclude(url="").values_list("pk", "url"):
        gate, kwargs = row_gate_at(url)
        if gate is None:
            continue
        key = (gate, tuple(sorted(kwargs.items())))
        if key not in allowed:
            allowed[key] = gate.allows(user, kwargs)
        if not allowed[key]:
            barred.append(pk)
    return barred


class ContenuQuerySet(models.QuerySet):
    def visible_to(self, user):
        visible = self.filter(visibilite__in=visibilities_for(user))
        # The row gate is checked only for the contents of this queryset, not the whole table.
        return visible.exclude(pk__in=barred_by_row_gate(user, visible))


class Contenu(models.Model):
    rubrique = models.ForeignKey(Rubrique, on_delete=models.CASCADE, related_name="contenus")
    type = models.CharField(max_length=20, choices=TypeContenu.choices)
    titre = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    visibilite = models.CharField(
        "visibilité", max_length=12, choices=Visibilite.choices, default=Visibilite.PUBLIC
    )
    fichier = models.FileField(upload_to="observatoires/%Y/", blank=True)
    url = models.CharField(
        "adresse",
        max_length=500,
        blank=True,
        help_text="Pour un lien, un tableau de bord ou une carte dynamique.",
    )
    millesime = models.PositiveSmallIntegerField("millésime", null=True, blank=True)
    publie_le = models.DateField("publié le", default=timezone.localdate)
    ordre = models.PositiveSmallIntegerField(default=0)

    objects = ContenuQuerySet.as_manager()

    class Meta:
        ordering = ["ordre", "-publie_le", "titre"]
        verbose_name = "contenu"

    def __str__(self):
        return self.titre

    def clean(self):
        if self.type in DOWNLOADS and not self.fichier:
            raise ValidationError({"fichier": "Un contenu à télécharger a besoin de son fichier."})
        if self.type not in DOWNLOADS and not self.url:
            raise ValidationError(
                {"url": "Indiquez l'adresse du tableau de bord, de l'outil ou de la carte."}
            )

    @property
    def is_download(self):
        return self.type in DOWNLOADS

    def is_visible_to(self, user):
        return type(self).objects.filter(pk=self.pk).visible_to(user).exists()

    def get_access_url(self):
        if self.is_download:
            return reverse("observatoires:telecharger", kwargs={"pk": self.pk})
        return self.url
