"""The questions of every category as fields of the filing form, rendered by the server.

Each category's questions are a group of fields named ``reponse-<category>-<question>``: the page
works without JavaScript (every group shown, only the chosen category's answers read), and the
script shows the chosen category's group only and disables the others. The fields accept any
value: ``answers.clean`` is the rule, for the form as for the API and Open311.
"""

from django import forms

from .answers import InvalidAnswers
from .models import Question, QuestionType

PREFIX = "reponse"


def field_name(categorie_code, question_code):
    return f"{PREFIX}-{categorie_code}-{question_code}"


class LenientChoiceField(forms.ChoiceField):
    """Any key goes through: answers.clean says which are wrong, with the question's own words."""

    def valid_value(self, value):
        return True


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value):
        return True


def _field(question):
    label = question.libelle
    common = {"label": label, "required": False, "help_text": question.aide}
    attrs = {"aria-required": "true"} if question.obligatoire else {}
    kind = question.type
    if kind in (QuestionType.CHOIX_UNIQUE, QuestionType.CHOIX_MULTIPLE):
        choices = [(choix.valeur, choix.libelle) for choix in question.choix.all()]
        if kind == QuestionType.CHOIX_UNIQUE:
            return LenientChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        return LenientMultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    widgets = {
        QuestionType.TEXTE: forms.TextInput(attrs={**attrs, "maxlength": 500}),
        QuestionType.NOMBRE: forms.TextInput(attrs={**attrs, "inputmode": "decimal"}),
        QuestionType.DATE: forms.DateInput(attrs={**attrs, "type": "date"}),
        QuestionType.DATE_HEURE: forms.DateTimeInput(attrs={**attrs, "type": "datetime-local"}),
    }
    return forms.CharField(widget=widgets[kind], strip=False, **common)


class QuestionGroup:
    """A category's questions with their bound fields, for the template."""

    def __init__(self, form, categorie, questions):
        self.categorie = categorie
        self.items = [(question, form[field_name(categorie.code, question.code)]) for question in questions]

    def __iter__(self):
        return iter(self.items)

    @property
    def has_errors(self):
        return any(bound.errors for _, bound in self.items)


class QuestionFieldsMixin:
    """For a form with a ``categorie`` field: the questions of each of its categories as fields."""

    def add_question_fields(self, categories):
        categories = list(categories)
        questions = Question.objects.filter(categorie__in=categories, is_active=True).prefetch_related(
            "choix"
        )
        self._questions = {}
        for question in questions:
            self._questions.setdefault(question.categorie_id, []).append(question)
        for categorie in categories:
            for question in self._questions.get(categorie.pk, []):
                self.fields[field_name(categorie.code, question.code)] = _field(question)
        self._question_categories = [c for c in categories if c.pk in self._questions]

    @property
    def question_groups(self):
        return [QuestionGroup(self, c, self._questions[c.pk]) for c in self._question_categories]

    def reponses_for(self, categorie):
        """The raw answers to the chosen category's questions, unanswered ones left out."""
        raw = {}
        for question in self._questions.get(categorie.pk, []):
            value = self[field_name(categorie.code, question.code)].data
            if value not in (None, "", []):
                raw[question.code] = value
        return raw

    def add_answers_error(self, categorie, error):
        """Tie a FilingError about answers (``field="question-<code>"``) to its question's field."""
        if isinstance(error, InvalidAnswers):
            errors = error.errors
        elif (error.field or "").startswith("question-"):
            errors = {error.field.removeprefix("question-"): str(error)}
        else:
            errors = {"": str(error)}
        for code, message in errors.items():
            name = field_name(categorie.code, code)
            self.add_error(name if name in self.fields else None, message)
