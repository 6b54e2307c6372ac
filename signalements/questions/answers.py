"""Server-side validation of the answers to a category's questions.

CONTRACT (slice « questions »): ``clean(categorie, raw)`` returns the answers to store,
``{code: value}`` with values typed for JSON (str, number, ISO date, list of keys), or raises
``signalements.errors.FilingError`` naming the question (``field="question-<code>"``) with a French message;
a blocking choice raises ``Blocked`` (a FilingError) whose message says where to turn instead.

Every client (web form, API, Open311) sends strings or JSON values; the browser's check is a
convenience, this module is the rule.
"""

import math
import re
from datetime import date

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

from ..errors import FilingError
from .models import CHOICE_TYPES, Question, QuestionType

MAX_TEXT = 500
NUMBER = re.compile(r"^[+-]?\d{1,12}([.,]\d{1,6})?$")
DEFAULT_BLOCKING_MESSAGE = "Cette situation ne se signale pas ici : contactez les secours ou votre mairie."


class Blocked(FilingError):
    """A blocking answer: nothing is filed, the message says where to turn instead (e.g. the 112)."""

    def __init__(self, message, question, choix):
        super().__init__(message, field=field_name(question.code))
        self.question = question
        self.choix = choix


class InvalidAnswers(FilingError):
    """One or more answers are wrong; ``errors`` maps each question's code to its French message."""

    def __init__(self, errors):
        code, message = next(iter(errors.items()))
        super().__init__(message, field=field_name(code))
        self.errors = errors


def field_name(code):
    return f"question-{code}"


def asked(categorie, sous_categorie=None):
    """The active questions of a category, then of its sub-category, with their choices."""
    if categorie.parent_id and sous_categorie is None:
        categorie, sous_categorie = categorie.parent, categorie
    owners = [categorie.pk] + ([sous_categorie.pk] if sous_categorie is not None else [])
    questions = (
        Question.objects.filter(categorie__in=owners, is_active=True)
        .select_related("categorie")
        .prefetch_related("choix")
    )
    # The category's own questions come first, whatever their order numbers.
    return sorted(questions, key=lambda q: (q.categorie_id != categorie.pk, q.ordre, q.pk))


def clean(categorie, raw, sous_categorie=None):
    """The typed answers to store, or FilingError (Blocked first: it matters more than a typo)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise FilingError("Les réponses aux questions forment un objet {code : valeur}.", field="reponses")
    questions = asked(categorie, sous_categorie)
    by_code = {question.code: question for question in questions}
    errors = {
        code: f"Question inconnue pour « {categorie.nom} » : {code}."
        for code in sorted(set(map(str, raw)) - set(by_code))
    }
    cleaned = {}
    for question in questions:
        value = raw.get(question.code)
        try:
            typed = _typed(question, value)
        except ValueError as error:
            errors[question.code] = str(error)
            continue
        if typed is None:
            if question.obligatoire:
                errors[question.code] = f"Répondez à la question « {question.libelle} »."
            continue
        _refuse_blocking(question, typed)
        cleaned[question.code] = typed
    if errors:
        raise InvalidAnswers(errors)
    return cleaned


def blocking_choice(question, keys):
    keys = keys if isinstance(keys, list) else [keys]
    return next((choix for choix in question.choix.all() if choix.bloquant and choix.valeur in keys), None)


def _refuse_blocking(question, typed):
    choix = blocking_choice(question, typed) if question.type in CHOICE_TYPES else None
    if choix is not None:
        raise Blocked(choix.message_blocage.strip() or DEFAULT_BLOCKING_MESSAGE, question, choix)


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _typed(question, value):
    """The JSON value of one answer, None when unanswered; ValueError with a French message."""
    if _empty(value):
        return None
    return TYPERS[question.type](question, value)


def _text(question, value):
    if not isinstance(value, str):
        raise ValueError(f"« {question.libelle} » : une réponse en texte est attendue.")
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise ValueError(f"« {question.libelle} » : {MAX_TEXT} caractères au plus.")
    if strip_tags(value) != value:
        raise ValueError(f"« {question.libelle} » : pas de balises HTML.")
    return value


def _number(question, value):
    message = f"« {question.libelle} » : saisissez un nombre (ex. 3 ou 2,5)."
    if isinstance(value, bool):
        raise ValueError(message)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and NUMBER.match(value.strip()):
        number = float(value.strip().replace(",", "."))
    else:
        raise ValueError(message)
    if not math.isfinite(number) or abs(number) >= 1e12:
        raise ValueError(message)
    return int(number) if number.is_integer() else number


def _date(question, value):
    try:
        return date.fromisoformat(value.strip()[:10] if isinstance(value, str) else "").isoformat()
    except ValueError:
        raise ValueError(f"« {question.libelle} » : saisissez une date (jj/mm/aaaa).") from None


def _datetime(question, value):
    message = f"« {question.libelle} » : saisissez une date et une heure."
    try:
        moment = parse_datetime(value.strip()) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValueError(message)
    if timezone.is_naive(moment):
        # A browser's datetime-local has no offset: it is the time people read on their clock.
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).isoformat(timespec="minutes")


def _keys(question):
    return [choix.valeur for choix in question.choix.all()]


def _single(question, value):
    if not isinstance(value, str) or value not in _keys(question):
        raise ValueError(f"« {question.libelle} » : choisissez une réponse de la liste.")
    return value


def _multiple(question, value):
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"« {question.libelle} » : une liste de réponses est attendue.")
    keys = _keys(question)
    unknown = [v for v in values if v not in keys]
    if unknown:
        raise ValueError(f"« {question.libelle} » : réponse inconnue ({', '.join(unknown)}).")
    chosen = set(values)
    return [key for key in keys if key in chosen] or None


TYPERS = {
    QuestionType.TEXTE: _text,
    QuestionType.NOMBRE: _number,
    QuestionType.DATE: _date,
    QuestionType.DATE_HEURE: _datetime,
    QuestionType.CHOIX_UNIQUE: _single,
    QuestionType.CHOIX_MULTIPLE: _multiple,
}


def labelled(categorie, reponses, sous_categorie=None):
    """(question label, answer in words) for display: labels, never codes, in the questions' order.

    An answer to a question deleted since keeps its code as label: what was filed stays visible.
    """
    if not reponses:
        return []
    owners = {categorie.pk, categorie.parent_id, getattr(sous_categorie, "pk", None)} - {None}
    questions = Question.objects.filter(categorie__in=owners).prefetch_related("choix")
    known = [q for q in questions if q.code in reponses]
    known.sort(key=lambda q: (q.categorie_id != categorie.pk, q.ordre, q.pk))
    rows = [(q.libelle, _words(q, reponses[q.code])) for q in known]
    shown = {q.code for q in known}
    return rows + [(code, _words(None, value)) for code, value in reponses.items() if code not in shown]


def _words(question, value):
    try:
        return _words_for(question, value)
    except (TypeError, ValueError, AttributeError):
        # A question whose type changed after it was answered: the answer as it was stored.
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _words_for(question, value):
    if question is None:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if question.type in CHOICE_TYPES:
        names = {choix.valeur: choix.libelle for choix in question.choix.all()}
        values = value if isinstance(value, list) else [value]
        return ", ".join(names.get(v, v) for v in values)
    if question.type == QuestionType.DATE:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    if question.type == QuestionType.DATE_HEURE:
        moment = parse_datetime(value)
        return timezone.localtime(moment).strftime("%d/%m/%Y à %H:%M") if moment else value
    if question.type == QuestionType.NOMBRE:
        return str(value).replace(".", ",")
    return str(value)
