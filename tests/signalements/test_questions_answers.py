"""answers.clean: every type, required answers, unknown codes, blocking choices; the admin's rules."""

import pytest
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from signalements.errors import FilingError
from signalements.models import Categorie
from signalements.questions import answers
from signalements.questions.admin import ChoixFormSet
from signalements.questions.models import Choix, Question, QuestionType

from .questions_support import questions_fixture  # noqa: F401


def errors_of(categorie, raw):
    with pytest.raises(answers.InvalidAnswers) as caught:
        answers.clean(categorie, raw)
    return caught.value.errors


def test_no_question_no_answer(categories):
    assert answers.clean(categories["mobilier"], {}) == {}
    assert answers.clean(categories["mobilier"], None) == {}


def test_unknown_code_refused(categories, questions):
    errors = errors_of(categories["mobilier"], {"taille": "petit"})
    assert errors == {"taille": "Question inconnue pour « Mobilier urbain » : taille."}
    # A question of another category is unknown here too.
    assert "danger" in errors_of(categories["voirie"], {"taille": "petit", "danger": "non"})


def test_answers_must_be_an_object(categories, questions):
    with pytest.raises(FilingError) as caught:
        answers.clean(categories["voirie"], ["petit"])
    assert caught.value.field == "reponses"


def test_required_answer(categories, questions):
    errors = errors_of(categories["voirie"], {"genes": ["pietons"]})
    assert errors == {"taille": "Répondez à la question « Quelle taille fait le trou ou la dégradation ? »."}
    assert "taille" in errors_of(categories["voirie"], {"taille": "  "})


def test_error_names_the_question_field(categories, questions):
    with pytest.raises(FilingError) as caught:
        answers.clean(categories["voirie"], {})
    assert caught.value.field == "question-taille"


def test_single_choice(categories, questions):
    assert answers.clean(categories["voirie"], {"taille": "moyen"}) == {"taille": "moyen"}
    assert "taille" in errors_of(categories["voirie"], {"taille": "immense"})
    assert "taille" in errors_of(categories["voirie"], {"taille": ["petit"]})


def test_multiple_choice_keeps_the_choices_order_once(categories, questions):
    cleaned = answers.clean(categories["voirie"], {"taille": "petit", "genes": ["pmr", "pietons", "pmr"]})
    assert cleaned == {"taille": "petit", "genes": ["pietons", "pmr"]}
    # One value alone (a form or Open311 client sending a single key) is a list of one.
    assert answers.clean(categories["voirie"], {"taille": "petit", "genes": "velos"})["genes"] == ["velos"]
    assert "genes" in errors_of(categories["voirie"], {"taille": "petit", "genes": ["velos", "bus"]})
    assert "genes" not in answers.clean(categories["voirie"], {"taille": "petit", "genes": []})


@pytest.mark.parametrize(
    ("raw", "expected"), [("3", 3), ("2,5", 2.5), (" 12.25 ", 12.25), (4, 4), (1.5, 1.5), (7.0, 7)]
)
def test_number(categories, questions, raw, expected):
    cleaned = answers.clean(categories["eclairage"], {"danger": "non", "points-eteints": raw})
    assert cleaned["points-eteints"] == expected
    assert type(cleaned["points-eteints"]) is type(expected)


@pytest.mark.parametrize("raw", ["trois", "1e5", "nan", True, [3], "3,", float("inf"), 1e13])
def test_number_refused(categories, questions, raw):
    errors = errors_of(categories["eclairage"], {"danger": "non", "points-eteints": raw})
    assert errors == {
        "points-eteints": f"« {questions['points-eteints']} » : saisissez un nombre (ex. 3 ou 2,5)."
    }


def test_date(categories, questions):
    assert answers.clean(categories["proprete"], {"depuis": "2026-11-20"}) == {"depuis": "2026-11-20"}
    for wrong in ("20/11/2026", "2026-02-30", 20261120):
        assert "depuis" in errors_of(categories["proprete"], {"depuis": wrong})


def test_datetime_naive_is_read_in_paris(categories, questions):
    cleaned = answers.clean(categories["eclairage"], {"danger": "non", "constate-le": "2026-11-20T21:30"})
    assert cleaned["constate-le"] == "2026-11-20T21:30+01:00"
    utc = answers.clean(categories["eclairage"], {"danger": "non", "constate-le": "2026-07-01T10:00:00Z"})
    assert utc["constate-le"] == "2026-07-01T12:00+02:00"
    assert "constate-le" in errors_of(categories["eclairage"], {"danger": "non", "constate-le": "hier soir"})


def test_text(categories, questions):
    assert answers.clean(categories["proprete"], {"detail": "  derrière le conteneur  "}) == {
        "detail": "derrière le conteneur"
    }
    assert "detail" in errors_of(categories["proprete"], {"detail": "<b>ici</b>"})
    assert "detail" in errors_of(categories["proprete"], {"detail": "x" * 501})
    assert "detail" in errors_of(categories["proprete"], {"detail": 12})


def test_every_error_at_once(categories, questions):
    errors = errors_of(categories["voirie"], {"genes": ["bus"], "inconnue": "x"})
    assert set(errors) == {"taille", "genes", "inconnue"}


def test_blocking_choice_stops_with_its_message(categories, questions):
    with pytest.raises(answers.Blocked) as caught:
        answers.clean(categories["eclairage"], {"danger": "oui"})
    assert isinstance(caught.value, FilingError)
    assert "appelez le 112" in str(caught.value)
    assert caught.value.field == "question-danger"


def test_blocking_in_a_multiple_choice(categories, questions):
    question = questions["genes"]
    Choix.objects.create(question=question, valeur="blesse", libelle="Quelqu'un est blessé", bloquant=True)
    with pytest.raises(answers.Blocked) as caught:
        answers.clean(categories["voirie"], {"taille": "petit", "genes": ["pietons", "blesse"]})
    assert str(caught.value) == answers.DEFAULT_BLOCKING_MESSAGE


def test_inactive_question_is_neither_asked_nor_accepted(categories, questions):
    Question.objects.filter(code="taille").update(is_active=False)
    assert answers.clean(categories["voirie"], {}) == {}
    assert "taille" in errors_of(categories["voirie"], {"taille": "petit"})


def test_sub_category_questions_come_after_the_category_ones(categories, questions):
    nid = Categorie.objects.get(code="nid-de-poule")
    Question.objects.create(
        categorie=nid,
        code="profondeur",
        libelle="Profondeur (cm)",
        type=QuestionType.NOMBRE,
        obligatoire=True,
    )
    assert [q.code for q in answers.asked(categories["voirie"], nid)] == ["taille", "genes", "profondeur"]
    assert answers.clean(categories["voirie"], {"taille": "grand", "profondeur": "8"}, nid) == {
        "taille": "grand",
        "profondeur": 8,
    }
    # Given the sub-category alone, its parent's questions are asked too.
    assert "taille" in errors_of(nid, {"profondeur": "8"})
    # Without the sub-category its question is unknown.
    assert "profondeur" in errors_of(categories["voirie"], {"taille": "grand", "profondeur": "8"})


def test_labelled_answers_use_labels(categories, questions):
    rows = answers.labelled(
        categories["voirie"], {"genes": ["pietons", "pmr"], "taille": "grand", "supprimee": "x"}
    )
    assert rows == [
        ("Quelle taille fait le trou ou la dégradation ?", "Plus de 50 cm"),
        ("Qui est gêné ?", "Piétons, Personnes à mobilité réduite"),
        ("supprimee", "x"),
    ]
    rows = answers.labelled(
        categories["eclairage"], {"constate-le": "2026-11-20T21:30+01:00", "points-eteints": 2.5}
    )
    assert rows == [
        ("Combien de points lumineux sont éteints ?", "2,5"),
        ("Quand l'avez-vous constaté ?", "20/11/2026 à 21:30"),
    ]


# --- The admin's rules ------------------------------------------------------------------------


def test_reserved_code_refused(categories):
    question = Question(categorie=categories["mobilier"], code="equipement", libelle="Quel banc ?")
    with pytest.raises(ValidationError) as caught:
        question.full_clean()
    assert "réservé" in str(caught.value)


def test_code_unique_across_a_category_and_its_sub_categories(categories, questions):
    banc = Categorie.objects.get(code="banc")
    Question.objects.create(categorie=banc, code="assise", libelle="L'assise est-elle cassée ?")
    for owner in (categories["mobilier"], Categorie.objects.get(code="potelet")):
        with pytest.raises(ValidationError) as caught:
            Question(categorie=owner, code="assise", libelle="Autre").full_clean()
        assert "sert déjà" in str(caught.value)
    # Another tree may use the same code.
    Question(categorie=categories["eau"], code="assise", libelle="Autre").full_clean()


def _formset(question, rows):
    data = {"choix-TOTAL_FORMS": str(len(rows)), "choix-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"choix-{i}-{key}": value for key, value in row.items()})
    formset_class = inlineformset_factory(
        Question,
        Choix,
        formset=ChoixFormSet,
        fields=["valeur", "libelle", "ordre", "bloquant", "message_blocage"],
    )
    return formset_class(data, instance=question, prefix="choix")


def test_choices_only_for_choice_questions(categories):
    texte = Question(categorie=categories["mobilier"], code="q", libelle="Q", type=QuestionType.TEXTE)
    formset = _formset(texte, [{"valeur": "a", "libelle": "A", "ordre": "0"}])
    assert not formset.is_valid()
    assert "Seules les questions à choix" in str(formset.non_form_errors())


def test_choice_question_needs_two_choices_and_blocking_needs_a_message(categories):
    choix = Question(categorie=categories["mobilier"], code="q", libelle="Q", type=QuestionType.CHOIX_UNIQUE)
    formset = _formset(choix, [{"valeur": "a", "libelle": "A", "ordre": "0"}])
    assert not formset.is_valid()
    assert "au moins deux" in str(formset.non_form_errors())
    formset = _formset(
        choix,
        [
            {"valeur": "a", "libelle": "A", "ordre": "0"},
            {"valeur": "b", "libelle": "B", "ordre": "1", "bloquant": "on"},
        ],
    )
    assert not formset.is_valid()
    assert "où s'adresser" in formset.errors[1]["message_blocage"][0]


@pytest.mark.parametrize("code", ["eclairage", "voirie", "proprete", "mobilier"])
def test_demo_reports_answers_pass_the_rules(categories, questions, code):
    from signalements.questions.demo import demo_answers

    for number in range(20):
        raw = demo_answers(code, number)
        assert answers.clean(categories[code], raw) == raw


def test_labelled_answer_of_a_question_whose_type_changed(categories, questions):
    Question.objects.filter(code="depuis").update(type=QuestionType.DATE_HEURE)
    Question.objects.filter(code="detail").update(type=QuestionType.DATE)
    rows = answers.labelled(categories["proprete"], {"depuis": "hier", "detail": "derrière"})
    assert rows == [
        ("Depuis quand est-ce là ?", "hier"),
        ("Un détail qui aidera l'équipe sur place ?", "derrière"),
    ]
