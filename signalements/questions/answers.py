"""Server-side validation of the answers to a category's questions.

CONTRACT (slice « questions »): ``clean(categorie, raw)`` returns the answers to store,
``{code: value}`` with values typed for JSON (str, number, ISO date, list of keys), or raises
``signalements.errors.FilingError`` naming the question (``field="question-<code>"``) with a French message;
a blocking choice raises ``Blocked`` (a FilingError) whose message says where to turn instead.
"""


def clean(categorie, raw):
    return {}
