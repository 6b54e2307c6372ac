from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models

from .enums import Capability, OrganisationType, Role


class Organisation(models.Model):
    """A partner organisation whose users may be granted access to restricted data."""

    nom = models.CharField(max_length=200, unique=True)
    sigle = models.CharField(max_length=30, blank=True)
    type = models.CharField(max_length=30, choices=OrganisationType.choices)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    site_web = models.URLField(blank=True)

    class Meta:
        ordering = ["nom"]

    def __str__(self):
        return self.sigle or self.nom


class EmailUserManager(UserManager):
    """Users sign in with their e-mail address; there is no username."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("adresse électronique", unique=True)
    fonction = models.CharField(max_length=200, blank=True)
    communes = models.ManyToManyField(
        "territoires.Commune",
        blank=True,
        related_name="agents",
        help_text="Communes sur lesquelles ce compte agit. Vide : toute la métropole "
        "pour les rôles métropolitains, aucune pour les rôles communaux.",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = "utilisateur"
        permissions = [(c.value, c.label) for c in Capability]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def roles(self):
        names = {g.name for g in self.groups.all()}
        return [role for role in Role if role.value in names]
