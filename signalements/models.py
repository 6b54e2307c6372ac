import secrets

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.measure import D
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Func
from django.urls import reverse
from django.utils import timezone

from observatoire.territoires.models import Commune

from .enums import OPEN_STATUSES, Ouverture, PhotoKind, RejectionReason, ServiceType, Status

SRID = settings.STORAGE_SRID


def new_token():
    return secrets.token_urlsafe(18)


class Service(models.Model):
    """A body that handles reports: a commune's technical service, a metropolitan one, a syndicate…"""

    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=ServiceType.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="services_techniques"
    )
    email = models.EmailField(blank=True, help_text="Adresse qui reçoit les signalements transmis.")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="services_techniques", verbose_name="agents"
    )
    is_active = models.BooleanField("actif", default=True)

    class Meta:
        ordering = ["nom"]
        constraints = [models.UniqueConstraint(fields=["nom", "commune"], name="service_unique_nom_commune")]

    def __str__(self):
        return self.nom


class Categorie(models.Model):
    """The shared category tree: top-level categories citizens choose, sub-categories set at triage."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="sous_categories"
    )
    code = models.SlugField(max_length=60, unique=True)
    nom = models.CharField(max_length=120, help_text="Libellé compréhensible par les habitants.")
    description = models.CharField(max_length=300, blank=True)
    notice = models.TextField(
        blank=True, help_text="Avertissement affiché avant l'envoi (ex. en cas de danger, appelez le 112)."
    )
    ordre = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["ordre", "nom"]
        verbose_name = "catégorie"

    def __str__(self):
        return f"{self.parent.nom} › {self.nom}" if self.parent_id else self.nom


class CategorieCommune(models.Model):
    """How one commune opens one category: closed, to agents, or to everyone."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="categories_signalement")
    categorie = models.ForeignKey(
        Categorie,
        on_delete=models.CASCADE,
        related_name="ouvertures",
        limit_choices_to={"parent__isnull": True},
    )
    ouverture = models.CharField(max_length=10, choices=Ouverture.choices, default=Ouverture.FERMEE)
    explication = models.TextField(
        blank=True, help_text="Pourquoi la catégorie est fermée ici, affiché aux habitants."
    )
    canal_alternatif = models.CharField(
        max_length=300, blank=True, help_text="Où s'adresser à la place (ex. écrire à la mairie : …)."
    )
    delai_cible_jours = models.PositiveSmallIntegerField("délai cible (jours)", null=True, blank=True)
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="categories",
        help_text="Service compétent proposé lors de la transmission.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ouverture de catégorie"
        constraints = [
            models.UniqueConstraint(fields=["commune", "categorie"], name="categorie_commune_unique")
        ]

    def __str__(self):
        return f"{self.categorie} à {self.commune.nom} : {self.get_ouverture_display()}"

    def snapshot(self):
        return {
            "ouverture": self.ouverture,
            "explication": self.explication,
            "canal_alternatif": self.canal_alternatif,
            "delai_cible_jours": self.delai_cible_jours,
            "service": self.service_id,
        }

    @classmethod
    def default_snapshot(cls):
        """The settings of a category nobody has set yet (closed, no message, no service)."""
        return cls().snapshot()


class CategorieCommuneChange(models.Model):
    """Append-only log of activation changes: who, when, before and after."""

    ouverture = models.ForeignKey(CategorieCommune, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    changed_at = models.DateTimeField(default=timezone.now)
    before = models.JSONField(null=True)
    after = models.JSONField()

    class Meta:
        ordering = ["-changed_at"]

    # What the log shows, in this order; a snapshot holds each under its field name.
    LOGGED_FIELDS = (
        ("ouverture", "Ouverture"),
        ("explication", "Explication"),
        ("canal_alternatif", "Canal alternatif"),
        ("delai_cible_jours", "Délai cible"),
        ("service", "Service"),
    )

    def differences(self, service_names):
        """(label, before, after) for each setting that changed, in words (labels, names, days)."""
        before = self.before or CategorieCommune.default_snapshot()

        def shown(field, value):
            if value in (None, ""):
                return "—"
            if field == "ouverture":
                return Ouverture(value).label if value in Ouverture.values else value
            if field == "service":
                return service_names.get(value, f"service n° {value}")
            if field == "delai_cible_jours":
                return f"{value} jour{'s' if value > 1 else ''}"
            return value

        return [
            (label, shown(field, before.get(field)), shown(field, self.after.get(field)))
            for field, label in self.LOGGED_FIELDS
            if before.get(field) != self.after.get(field)
        ]


class SignalementQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def near(self, point, metres):
        return self.filter(geom__dwithin=(point, D(m=metres)))

    def with_lonlat(self):
        """WGS84 coordinates computed by PostGIS: a GDAL transform per row in Python costs ~10 ms."""
        wgs84 = Transform("geom", 4326)
        return self.annotate(
            lon=Func(wgs84, function="ST_X", output_field=models.FloatField()),
            lat=Func(wgs84, function="ST_Y", output_field=models.FloatField()),
        )


class Signalement(models.Model):
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="signalements")
    categorie = models.ForeignKey(Categorie, on_delete=models.PROTECT, related_name="signalements")
    sous_categorie = models.ForeignKey(
        Categorie, on_delete=models.PROTECT, null=True, blank=True, related_name="signalements_precis"
    )
    geom = models.PointField(srid=SRID)
    adresse = models.CharField(max_length=300, blank=True)
    description = models.TextField(max_length=2000)
    description_validee = models.BooleanField(
        default=False, help_text="La description a été relue : elle peut être montrée publiquement."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOUVEAU, db_index=True)
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="signalements"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="doublons"
    )
    rejection_reason = models.CharField(max_length=30, choices=RejectionReason.choices, blank=True)
    filed_by_agent = models.BooleanField(default=False)
    soutiens = models.PositiveIntegerField(default=0)
    # Answers to the category's questions, {question code: value} (signalements.questions).
    reponses = models.JSONField(default=dict, blank=True)
    # The asset the report points at; its identifier is kept even if the asset is deleted.
    actif = models.ForeignKey(
        "signalements.Actif", on_delete=models.SET_NULL, null=True, blank=True, related_name="signalements"
    )
    actif_identifiant = models.CharField(max_length=100, blank=True)
    date_intervention_prevue = models.DateField("intervention prévue le", null=True, blank=True)
    # Personal data: never public, purged some months after closure.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signalements",
    )
    reporter_email = models.EmailField(blank=True)
    reporter_ip = models.GenericIPAddressField(null=True, blank=True)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SignalementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["commune", "status", "created_at"]),
            # The maps show open reports by default: a small index over a large table.
            GistIndex(
                fields=["geom"], name="signalement_geom_ouverts", condition=models.Q(status__in=OPEN_STATUSES)
            ),
            # Reports resolved lately (area alerts, their digests and Atom feeds), without a full scan.
            models.Index(
                fields=["resolved_at"],
                name="signalement_resolus",
                condition=models.Q(resolved_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.categorie.nom} · {self.commune.nom}"

    @property
    def reference(self):
        return f"S-{self.created_at:%Y}-{self.pk:06d}" if self.pk else "S-nouveau"

    def get_tracking_url(self):
        return reverse("signalements:suivi", kwargs={"token": self.token})

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_published(self):
        """Its text and photos were read by a manager and may be shown to anyone (spam never)."""
        return self.description_validee and self.rejection_reason != RejectionReason.SPAM


class Historique(models.Model):
    """Append-only history of a report's statuses."""

    signalement = models.ForeignKey(Signalement, on_delete=models.CASCADE, related_name="historique")
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "historique"


class Photo(models.Model):
    signalement = models.ForeignKey(Signalement, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="signalements/%Y/%m/")
    # Made by the Celery task signalements.make_thumbnail after the upload is committed.
    thumbnail = models.ImageField(upload_to="signalements/vignettes/%Y/%m/", blank=True)
    kind = models.CharField(max_length=20, choices=PhotoKind.choices, default=PhotoKind.SIGNALEMENT)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]


class Soutien(models.Model):
    """Someone confirms an existing report instead of filing a duplicate."""

    signalement = models.ForeignKey(Signalement, on_delete=models.CASCADE, related_name="soutiens_recus")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["signalement", "user"],
                condition=models.Q(user__isnull=False),
                name="soutien_unique_par_utilisateur",
            )
        ]


class Notification(models.Model):
    """Outbox: every e-mail is stored with the change that causes it, then sent by Celery.

    If the broker is down when the report is saved, the periodic sweep sends it later.
    """

    # Empty for mails about no single report (area alerts, digests).
    signalement = models.ForeignKey(
        Signalement, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    recipient = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Extra mail headers, e.g. List-Unsubscribe for alerts.
    headers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="notification_outbox")]


class IdempotencyKey(models.Model):
    """A filing already done for this key: a retry with the same key gets the same report back.

    Saved in the filing's own transaction, so a report and its key exist together or not at
    all, and kept in PostgreSQL so that it holds with Redis down. ``client`` is a keyed digest
    of who sent the key (account, Open311 client, address): two clients never share a key.
    """

    scope = models.CharField(max_length=20)
    client = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="Empreinte du contenu déposé.")
    signalement = models.ForeignKey(Signalement, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "client", "key"], name="idempotency_key_unique")
        ]


class LimitCounter(models.Model):
    """Requests of one client in one fixed time window, for the filing and support limits."""

    scope = models.CharField(max_length=20)
    client = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "client", "window_start"], name="limit_counter_unique")
        ]


from .actifs.models import Actif  # noqa: E402,F401
from .alertes.models import Abonnement  # noqa: E402,F401
from .liaisons.models import Envoi, EvenementEntrant, Liaison  # noqa: E402,F401
from .open311.models import ApiKey  # noqa: E402,F401
from .questions.models import Choix, Question  # noqa: E402,F401
from .reponses.models import ModeleReponse  # noqa: E402,F401
from .satisfaction.models import Avis  # noqa: E402,F401


class CelluleCarte(models.Model):
    """Counts of reports per grid cell for the low-zoom maps, rebuilt by Celery (signalements.grid).

    At the metropolis scale a live aggregation of a million reports takes seconds; reading these
    few thousand rows takes milliseconds. Cells nest: a cell at zoom z is 2 × 2 cells at z + 1.
    """

    zoom = models.PositiveSmallIntegerField()
    x = models.IntegerField()
    y = models.IntegerField()
    status = models.CharField(max_length=20, choices=Status.choices)
    categorie = models.ForeignKey(Categorie, on_delete=models.CASCADE, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField()
    sum_x = models.FloatField()
    sum_y = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["zoom", "status"], name="cellule_zoom_status")]
