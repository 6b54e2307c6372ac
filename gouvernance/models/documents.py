"""Governance documents (charte, clauses, conventions…), their versions and their status workflow."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability

MAX_PDF_BYTES = 20 * 1024 * 1024


class TypeDocument(models.TextChoices):
    CHARTE = "charte", "Charte de la donnée"
    CLAUSE_INTERFACE = "clause_interface", "Clause d'interface (données entrantes)"
    ACTE_UNILATERAL = "acte_unilateral", "Acte unilatéral (données sortantes)"
    REGLEMENT = "reglement", "Règlement général de la donnée"
    CONVENTION = "convention", "Convention d'échange de données"
    AUTRE = "autre", "Autre document"


class StatutDocument(models.TextChoices):
    EN_CONCEPTION = "en_conception", "En conception"
    DELIBERE = "delibere", "Délibéré"
    EN_VIGUEUR = "en_vigueur", "En vigueur"
    ABROGE = "abroge", "Abrogé"


class Visibilite(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNE = "interne", "Interne (agents et élus)"


S = StatutDocument
TRANSITIONS = {
    S.EN_CONCEPTION: {S.DELIBERE},
    S.DELIBERE: {S.EN_VIGUEUR, S.ABROGE},
    S.EN_VIGUEUR: {S.ABROGE},
    S.ABROGE: set(),
}

STATUS_CSS = {
    S.EN_CONCEPTION: "status-en_cours",
    S.DELIBERE: "status-transmis",
    S.EN_VIGUEUR: "status-actif",
    S.ABROGE: "status-rejete",
}


def validate_pdf(fichier):
    """Extension, size and the %PDF signature: a renamed Word file or an HTML page is refused."""
    if PurePosixPath(fichier.name).suffix.lower() != ".pdf":
        raise ValidationError("Le fichier doit être un PDF (extension .pdf).")
    if fichier.size > MAX_PDF_BYTES:
        raise ValidationError(f"Le fichier dépasse {MAX_PDF_BYTES // (1024 * 1024)} Mo.")
    fichier.seek(0)
    head = fichier.read(5)
    fichier.seek(0)
    if head != b"%PDF-":
        raise ValidationError("Ce fichier n'est pas un PDF valide (signature %PDF absente).")


def version_upload_to(instance, filename):
    # Unguessable names: internal files are served by a view that checks visibility, never by URL.
    return f"gouvernance/documents/{timezone.now():%Y}/{uuid.uuid4().hex}.pdf"


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        if can_read_internal(user):
            return self
        return self.filter(visibilite=Visibilite.PUBLIC)


def can_read_internal(user):
    return perms.has_capability(user, Capability.VIEW_AGENT_CONTENT) or perms.has_capability(
        user, Capability.MANAGE_GOVERNANCE
    )


class DocumentGouvernance(models.Model):
    slug = models.SlugField("identifiant", max_length=120, unique=True)
    titre = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=TypeDocument.choices)
    resume = models.TextField("résumé", blank=True)
    status = models.CharField(
        "statut", max_length=15, choices=StatutDocument.choices, default=S.EN_CONCEPTION, editable=False
    )
    visibilite = models.CharField("visibilité", max_length=10, choices=Visibilite.choices)
    date_deliberation = models.DateField("date de la délibération", null=True, blank=True)
    reference_deliberation = models.CharField("référence de la délibération", max_length=100, blank=True)
    date_effet = models.DateField("entrée en vigueur", null=True, blank=True)
    date_abrogation = models.DateField("abrogation", null=True, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions",
        verbose_name="partenaire",
        help_text="Obligatoire pour une convention d'échange",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "document de gouvernance"
        verbose_name_plural = "documents de gouvernance"
        ordering = ["type", "titre"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=S.EN_CONCEPTION)
                | (models.Q(date_deliberation__isnull=False) & ~models.Q(reference_deliberation="")),
                name="document_delibere_avec_date_et_reference",
            ),
            models.CheckConstraint(
                condition=~models.Q(type=TypeDocument.CONVENTION) | models.Q(organisation__isnull=False),
                name="convention_avec_partenaire",
            ),
        ]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        return reverse("gouvernance:document", kwargs={"slug": self.slug})

    def clean(self):
        if self.type == TypeDocument.CONVENTION and self.organisation_id is None:
            raise ValidationError({"organisation": "Une convention d'échange doit désigner son partenaire."})

    @property
    def latest(self):
        """The newest version (uses prefetched versions when the view prefetched them)."""
        if "versions" in getattr(self, "_prefetched_objects_cache", {}):
            return next(iter(self.versions.all()), None)
        return self.versions.first()

    @property
    def status_css(self):
        """A badge class of the portal's stylesheet for this status."""
        return STATUS_CSS[StatutDocument(self.status)]

    def allowed_targets(self):
        return sorted(TRANSITIONS[StatutDocument(self.status)], key=list(S).index)

    def transition(self, to_status, *, by, motif="", date_deliberation=None, reference="", date=None):
        """Change the status along the table; every change appends one HistoriqueDocument row."""
        to_status = StatutDocument(to_status)
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if to_status not in TRANSITIONS[StatutDocument(current.status)]:
                raise ValidationError(
                    f"Impossible de passer de « {current.get_status_display()} » à « {to_status.label} »."
                )
            day = date or timezone.localdate()
            if to_status == S.DELIBERE:
                reference = (reference or "").strip()
                if date_deliberation is None or not reference:
                    raise ValidationError(
                        "Un document délibéré doit porter la date et la référence de la délibération."
                    )
                current.date_deliberation, current.reference_deliberation = date_deliberation, reference
            elif to_status == S.EN_VIGUEUR:
                current.date_effet = day
            elif to_status == S.ABROGE:
                current.date_abrogation = day
            from_status = current.status
            current.status = to_status
            current.save()
            entry = HistoriqueDocument.objects.create(
                document=current, from_status=from_status, to_status=to_status, by=by, motif=motif.strip()
            )
        for field in (
            "status",
            "date_deliberation",
            "reference_deliberation",
            "date_effet",
            "date_abrogation",
        ):
            setattr(self, field, getattr(current, field))
        return entry


class Principe(models.Model):
    """A numbered item of a document: the principles of the charte, the articles of a clause."""

    document = models.ForeignKey(DocumentGouvernance, on_delete=models.CASCADE, related_name="principes")
    numero = models.PositiveSmallIntegerField("numéro")
    intitule = models.CharField("intitulé", max_length=300)
    texte = models.TextField(blank=True)

    class Meta:
        ordering = ["document", "numero"]
        constraints = [models.UniqueConstraint(fields=["document", "numero"], name="principe_numero_unique")]

    def __str__(self):
        return f"{self.numero}. {self.intitule}"


class VersionDocument(models.Model):
    document = models.ForeignKey(DocumentGouvernance, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveSmallIntegerField("version", editable=False)
    fichier = models.FileField("fichier PDF", upload_to=version_upload_to, validators=[validate_pdf])
    note = models.CharField("nature des changements", max_length=300, blank=True)
    taille = models.PositiveIntegerField(editable=False, default=0)
    deposited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField("déposée le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "version"
        ordering = ["document", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["document", "numero"], name="version_document_numero_unique")
        ]

    def __str__(self):
        return f"{self.document} — version {self.numero}"

    def save(self, *args, **kwargs):
        if not self.numero:
            # Lock the document row so that two uploads cannot take the same number.
            with transaction.atomic():
                DocumentGouvernance.objects.select_for_update().filter(pk=self.document_id).first()
                last = self.document.versions.aggregate(m=models.Max("numero"))["m"] or 0
                self.numero = last + 1
                self.taille = self.fichier.size
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("gouvernance:version", kwargs={"slug": self.document.slug, "numero": self.numero})

    @property
    def download_name(self):
        return f"{self.document.slug}-v{self.numero}.pdf"


class HistoriqueDocument(models.Model):
    """Append-only: who changed a document's status, when and why."""

    document = models.ForeignKey(DocumentGouvernance, on_delete=models.CASCADE, related_name="historique")
    from_status = models.CharField(max_length=15, choices=StatutDocument.choices)
    to_status = models.CharField(max_length=15, choices=StatutDocument.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    motif = models.TextField(blank=True)

    class Meta:
        verbose_name = "changement de statut"
        verbose_name_plural = "historique des statuts"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("L'historique des statuts ne se modifie pas.")
        super().save(*args, **kwargs)
