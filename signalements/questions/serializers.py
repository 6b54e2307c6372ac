"""The questions in the DRF API: with each category offered at a point, and answers' errors per question."""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from .answers import InvalidAnswers, asked
from .models import Question


class ChoixSerializer(serializers.Serializer):
    valeur = serializers.CharField()
    libelle = serializers.CharField()
    bloquant = serializers.BooleanField()
    message_blocage = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    libelle = serializers.CharField()
    aide = serializers.CharField()
    type = serializers.CharField()
    obligatoire = serializers.BooleanField()
    ordre = serializers.IntegerField()
    choix = ChoixSerializer(many=True, source="choix.all")


@extend_schema_field(QuestionSerializer(many=True))
class QuestionsField(serializers.Field):
    """The active questions of the offer's category (answers go in ``reponses`` when filing)."""

    def __init__(self, **kwargs):
        super().__init__(source="categorie", read_only=True, **kwargs)

    def to_representation(self, categorie):
        questions = getattr(categorie, "active_questions", None)
        return QuestionSerializer(asked(categorie) if questions is None else questions, many=True).data


def with_questions(offers):
    """The offers with their categories' questions and choices fetched in two queries, not two each."""
    active = Question.objects.filter(is_active=True).prefetch_related("choix")
    prefetch_related_objects(
        [offer.categorie for offer in offers],
        Prefetch("questions", queryset=active, to_attr="active_questions"),
    )
    return offers


def answers_error(error):
    """A FilingError about answers as DRF errors: ``{"reponses": {code: [message]}}``."""
    if isinstance(error, InvalidAnswers):
        return ValidationError({"reponses": {code: [text] for code, text in error.errors.items()}})
    if (error.field or "").startswith("question-"):
        return ValidationError({"reponses": {error.field.removeprefix("question-"): [str(error)]}})
    return ValidationError({"reponses": [str(error)]})
