"""Fixtures shared by the test_questions_* files: the demo questions on the demo categories."""

import pytest

from signalements.questions.demo import load_questions
from signalements.questions.models import Question


@pytest.fixture(name="questions")
def questions_fixture(categories):
    """The demo questions, by code (eclairage: danger, points-eteints, constate-le; voirie: taille,
    genes; propreté: volume, depuis, detail)."""
    load_questions()
    return {q.code: q for q in Question.objects.all()}
