"""The metropolis's admin for questions: a question with its choices saved in one form, its rules said."""

import pytest

from observatoire.accounts.enums import Role
from signalements.questions.models import Question
from tests.factories import UserFactory

ADD = "/admin/signalements/question/add/"


@pytest.fixture
def admin_client(client, categories):
    client.force_login(UserFactory(role=Role.SUPERADMIN, is_superuser=True, is_staff=True))
    return client


def form(categorie, code="danger", kind="choix_unique", choices=()):
    data = {
        "categorie": categorie.pk,
        "libelle": "Y a-t-il un danger ?",
        "code": code,
        "aide": "",
        "type": kind,
        "ordre": "0",
        "obligatoire": "on",
        "is_active": "on",
        "choix-TOTAL_FORMS": str(len(choices)),
        "choix-INITIAL_FORMS": "0",
        "choix-MIN_NUM_FORMS": "0",
        "choix-MAX_NUM_FORMS": "1000",
    }
    for i, (valeur, libelle, bloquant, message) in enumerate(choices):
        data.update(
            {
                f"choix-{i}-valeur": valeur,
                f"choix-{i}-libelle": libelle,
                f"choix-{i}-ordre": str(i),
                f"choix-{i}-message_blocage": message,
            }
        )
        if bloquant:
            data[f"choix-{i}-bloquant"] = "on"
    return data


def test_question_with_choices_saved_from_the_admin(admin_client, categories):
    assert admin_client.get(ADD).status_code == 200
    choices = [("non", "Non", False, ""), ("oui", "Oui", True, "Appelez le 112.")]
    response = admin_client.post(ADD, form(categories["mobilier"], choices=choices))
    assert response.status_code == 302, response.content.decode()[:2000]
    question = Question.objects.get(code="danger")
    assert [(c.valeur, c.bloquant, c.message_blocage) for c in question.choix.all()] == [
        ("non", False, ""),
        ("oui", True, "Appelez le 112."),
    ]
    assert admin_client.get(f"/admin/signalements/question/{question.pk}/change/").status_code == 200


def test_admin_refuses_reserved_code_and_choices_on_a_text_question(admin_client, categories):
    html = admin_client.post(
        ADD, form(categories["mobilier"], code="equipement", kind="texte")
    ).content.decode()
    assert "est réservé par le portail" in html
    choices = [("a", "A", False, ""), ("b", "B", False, "")]
    html = admin_client.post(
        ADD, form(categories["mobilier"], kind="texte", choices=choices)
    ).content.decode()
    assert "Seules les questions à choix proposent des réponses" in html
    assert not Question.objects.exists()


def test_category_page_lists_its_questions(admin_client, categories):
    from signalements.questions.demo import load_questions

    load_questions()
    html = admin_client.get(
        f"/admin/signalements/categorie/{categories['voirie'].pk}/change/"
    ).content.decode()
    assert "Quelle taille fait le trou ou la dégradation ?" in html
    assert "/admin/signalements/question/" in html
