"""Fixtures shared by the test_questions_* files: the demo questions on the demo categories."""

import pytest
from django.contrib.auth.models import AnonymousUser

from signalements import services
from signalements.questions.demo import load_questions
from signalements.questions.models import Question

from .conftest import VIEUX_PORT


@pytest.fixture(name="questions")
def questions_fixture(categories):
    """The demo questions, by code (eclairage: danger, points-eteints, constate-le; voirie: taille,
    genes; propreté: volume, depuis, detail)."""
    load_questions()
    return {q.code: q for q in Question.objects.all()}


def file_with_answers(categorie, reponses):
    """An anonymous report at the Vieux-Port with these answers, filed through the one filing path."""
    return services.file_signalement(
        user=AnonymousUser(),
        categorie=categorie,
        description="Sacs éventrés.",
        reponses=reponses,
        **VIEUX_PORT,
    )
