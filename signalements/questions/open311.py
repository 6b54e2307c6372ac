"""A category's questions as GeoReport v2 service attributes, and ``attribute[…]`` read back as answers.

The spec's service definition lists each attribute with ``variable``, ``code``, ``datatype``,
``required``, ``datatype_description``, ``order``, ``description`` and, for lists, ``values``
(``key``, ``name``). A client sends ``attribute[code]=value``, and for a ``multivaluelist``
``attribute[code][]=a&attribute[code][]=b`` (a repeated ``attribute[code]`` is read the same way).
"""

import re

from .answers import MAX_TEXT, asked
from .models import RESERVED_CODES, QuestionType

ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")

DATATYPE_DESCRIPTIONS = {
    QuestionType.TEXTE: f"Texte libre, {MAX_TEXT} caractères au plus, sans HTML.",
    QuestionType.NOMBRE: "Nombre, avec un point ou une virgule décimale (ex. 3 ou 2,5).",
    QuestionType.DATE: "Date ISO 8601 (ex. 2026-11-21) ; l'heure éventuelle est ignorée.",
    QuestionType.DATE_HEURE: (
        "Date et heure ISO 8601 (ex. 2026-11-21T14:03:00+01:00) ; sans décalage, heure de Paris."
    ),
    QuestionType.CHOIX_UNIQUE: "Une des clés (key) de values.",
    QuestionType.CHOIX_MULTIPLE: "Une ou plusieurs clés (key) de values : attribute[code][]=clé, répété.",
}


def attributes(categorie):
    """The service definition's ``attributes`` of a top-level category."""
    return [_attribute(question, order) for order, question in enumerate(asked(categorie), start=1)]


def _attribute(question, order):
    blocking = [choix for choix in question.choix.all() if choix.bloquant]
    # A client must be able to tell people before they send: a blocking answer files nothing.
    description = " ".join(
        [question.libelle, question.aide]
        + [f"Réponse « {choix.libelle} » : rien n'est déposé. {choix.message_blocage}" for choix in blocking]
    )
    data = {
        "variable": True,
        "code": question.code,
        "datatype": question.open311_datatype,
        "required": question.obligatoire,
        "datatype_description": DATATYPE_DESCRIPTIONS[question.type],
        "order": order,
        "description": " ".join(description.split()),
    }
    if question.is_choice:
        data["values"] = [{"key": choix.valeur, "name": choix.libelle} for choix in question.choix.all()]
    return data


def answers_from(params):
    """The raw answers in a POST's ``attribute[…]`` fields (reserved codes belong to other features)."""
    collected, lists = {}, set()
    for name in params:
        match = ATTRIBUTE.match(name)
        if match is None or match.group(1) in RESERVED_CODES:
            continue
        code = match.group(1)
        collected.setdefault(code, []).extend(params.getlist(name))
        if match.group(2):
            lists.add(code)
    return {
        code: values if code in lists or len(values) > 1 else values[0] for code, values in collected.items()
    }
