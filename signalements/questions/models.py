"""Extra questions a category asks (Open311 ``attributes``), and the answers that stop a filing.

Declared under the ``signalements`` app (imported at the end of ``signalements/models.py``).
Answers are stored on the report itself (``Signalement.reponses``, ``{code: value}``): they are
read with it everywhere (triage, service, Open311, open data) and never queried alone.
"""

from django.core.exceptions import ValidationError
from django.db import models


class QuestionType(models.TextChoices):
    # The Open311 datatype of each is in ``OPEN311_DATATYPES``.
    TEXTE = "texte", "Texte"
    NOMBRE = "nombre", "Nombre"
    DATE = "date", "Date"
    DATE_HEURE = "date_heure", "Date et heure"
    CHOIX_UNIQUE = "choix_unique", "Choix unique"
    CHOIX_MULTIPLE = "choix_multiple", "Choix multiple"


OPEN311_DATATYPES = {
    QuestionType.TEXTE: "string",
    QuestionType.NOMBRE: "number",
    QuestionType.DATE: "datetime",
    QuestionType.DATE_HEURE: "datetime",
    QuestionType.CHOIX_UNIQUE: "singlevaluelist",
    QuestionType.CHOIX_MULTIPLE: "multivaluelist",
}
CHOICE_TYPES = {QuestionType.CHOIX_UNIQUE, QuestionType.CHOIX_MULTIPLE}
# Attribute codes other parts of the portal send in the same Open311 ``attribute[…]`` namespace:
# ``equipement`` is the asset a report points at (slice « actifs »).
RESERVED_CODES = {"equipement"}


class Question(models.Model):
    """One question of a category or sub-category, asked when that category is chosen."""

    categorie = models.ForeignKey(
        "signalements.Categorie", on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(
        max_length=60, help_text="Identifiant stable : nom de l'attribut Open311 et de la colonne open data."
    )
    libelle = models.CharField("libellé", max_length=200)
    aide = models.CharField(max_length=300, blank=True, help_text="Précision affichée sous la question.")
    type = models.CharField(max_length=20, choices=QuestionType.choices, default=QuestionType.TEXTE)
    obligatoire = models.BooleanField(default=False)
    publique = models.BooleanField(
        default=False,
        help_text="Les réponses peuvent être publiées en open data (jamais de donnée personnelle).",
    )
    ordre = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        app_label = "signalements"
        ordering = ["categorie", "ordre", "pk"]
        constraints = [models.UniqueConstraint(fields=["categorie", "code"], name="question_unique_code")]

    def __str__(self):
        return self.libelle

    def clean(self):
        if self.code in RESERVED_CODES:
            raise ValidationError(
                {"code": f"« {self.code} » est réservé par le portail : choisissez un autre code."}
            )
        if self.categorie_id is None:
            return
        # Answers of a category and of its sub-category are stored side by side under their codes.
        categorie = self.categorie
        tree = [categorie.parent_id or categorie.pk]
        tree += list(type(categorie).objects.filter(parent_id=tree[0]).values_list("pk", flat=True))
        clash = Question.objects.filter(categorie__in=tree, code=self.code).exclude(pk=self.pk).first()
        if clash is not None:
            raise ValidationError(
                {"code": f"Le code « {self.code} » sert déjà à la question « {clash} » ({clash.categorie})."}
            )

    @property
    def is_choice(self):
        return self.type in CHOICE_TYPES

    @property
    def open311_datatype(self):
        return OPEN311_DATATYPES[QuestionType(self.type)]


class Choix(models.Model):
    """One answer of a choice question; some stop the filing and send people elsewhere."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choix")
    valeur = models.SlugField(max_length=60, help_text="Clé stable (Open311 ``key``).")
    libelle = models.CharField("libellé", max_length=200)
    ordre = models.PositiveSmallIntegerField(default=0)
    bloquant = models.BooleanField(
        default=False, help_text="Cette réponse arrête le dépôt : le message dit où s'adresser."
    )
    message_blocage = models.TextField(
        "message", blank=True, help_text="Ex. « Danger immédiat : appelez le 112. »"
    )

    class Meta:
        app_label = "signalements"
        ordering = ["question", "ordre", "pk"]
        verbose_name = "choix"
        verbose_name_plural = "choix"
        constraints = [models.UniqueConstraint(fields=["question", "valeur"], name="choix_unique_valeur")]

    def __str__(self):
        return self.libelle
