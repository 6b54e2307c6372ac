"""The filing form with a category's questions (Django client): shown, checked by the server, kept."""

import pytest
from django.urls import reverse

from signalements.enums import Ouverture
from signalements.models import Signalement

from .conftest import VIEUX_PORT
from .questions_support import questions_fixture  # noqa: F401

FORM_URL = reverse("signalements:signaler")


@pytest.fixture
def eclairage_marseille(marseille_setup, categories, open_category, questions):
    open_category(marseille_setup, categories["eclairage"], Ouverture.TOUS)
    open_category(marseille_setup, categories["voirie"], Ouverture.TOUS)
    return categories


def post(client, categorie, **answers):
    data = {
        "lat": VIEUX_PORT["lat"],
        "lon": VIEUX_PORT["lon"],
        "categorie": categorie.pk,
        "description": "Trois lampadaires éteints le long du quai.",
    }
    data.update({f"reponse-{categorie.code}-{code}": value for code, value in answers.items()})
    return client.post(FORM_URL, data)


def test_form_shows_each_categorys_questions_in_fieldsets(client, eclairage_marseille):
    html = client.get(FORM_URL).content.decode()
    assert '<fieldset class="questions-categorie" data-categorie="eclairage"' in html
    assert (
        '<legend>Y a-t-il un danger immédiat ? <span class="required">(obligatoire)</span></legend>' in html
    )
    assert 'name="reponse-eclairage-points-eteints"' in html and 'inputmode="decimal"' in html
    assert 'type="datetime-local"' in html and 'type="date"' in html
    assert 'name="reponse-voirie-genes" value="pmr"' in html
    # The blocking message is in the page for the script, which shows it when that answer is chosen.
    assert '<li data-valeur="oui">Danger immédiat' in html
    assert 'aria-live="assertive"' in html
    # Categories without questions get no group.
    assert 'data-categorie="mobilier"' not in html


def test_answers_are_filed_typed(client, eclairage_marseille):
    response = post(
        client,
        eclairage_marseille["eclairage"],
        danger="non",
        **{"points-eteints": "3", "constate-le": "2026-11-20T21:30"},
    )
    report = Signalement.objects.get()
    assert response.status_code == 302
    assert report.reponses == {"danger": "non", "points-eteints": 3, "constate-le": "2026-11-20T21:30+01:00"}


def test_other_categories_answers_are_ignored(client, eclairage_marseille):
    data = {
        "lat": VIEUX_PORT["lat"],
        "lon": VIEUX_PORT["lon"],
        "categorie": eclairage_marseille["voirie"].pk,
        "description": "Nid-de-poule profond.",
        "reponse-voirie-taille": "grand",
        # Sent by a browser without JavaScript, where every group is in the form.
        "reponse-eclairage-danger": "oui",
    }
    assert client.post(FORM_URL, data).status_code == 302
    assert Signalement.objects.get().reponses == {"taille": "grand"}


def test_required_answer_is_asked_and_answers_are_kept(client, eclairage_marseille):
    response = post(client, eclairage_marseille["eclairage"], **{"points-eteints": "3,5"})
    html = response.content.decode()
    assert response.status_code == 200
    assert not Signalement.objects.exists()
    assert "Répondez à la question « Y a-t-il un danger immédiat ? »." in html
    assert 'id="id_reponse-eclairage-danger_error"' in html
    assert 'aria-describedby="id_reponse-eclairage-danger_error"' in html
    # What was typed is there again.
    assert 'name="reponse-eclairage-points-eteints" value="3,5"' in html


def test_wrong_number_error_is_tied_to_its_field(client, eclairage_marseille):
    html = post(
        client, eclairage_marseille["eclairage"], danger="non", **{"points-eteints": "beaucoup"}
    ).content.decode()
    assert "saisissez un nombre" in html
    assert 'aria-invalid="true" aria-describedby="id_reponse-eclairage-points-eteints_helptext ' in html


def test_multiple_choice_answers_kept_on_error(client, eclairage_marseille):
    data = {
        "lat": VIEUX_PORT["lat"],
        "lon": VIEUX_PORT["lon"],
        "categorie": eclairage_marseille["voirie"].pk,
        "description": "Trottoir soulevé.",
        "reponse-voirie-genes": ["pietons", "pmr"],
    }
    html = client.post(FORM_URL, data).content.decode()
    assert "Répondez à la question « Quelle taille" in html
    assert 'value="pietons"' in html and html.count("checked") >= 3  # category + two answers
    data["reponse-voirie-taille"] = "moyen"
    client.post(FORM_URL, data)
    assert Signalement.objects.get().reponses == {"taille": "moyen", "genes": ["pietons", "pmr"]}


def test_blocking_answer_refused_by_the_server(client, eclairage_marseille):
    response = post(client, eclairage_marseille["eclairage"], danger="oui")
    html = response.content.decode()
    assert response.status_code == 200
    assert not Signalement.objects.exists()
    assert "appelez le 112" in html
    assert 'id="id_reponse-eclairage-danger_error"' in html


def test_unknown_choice_key_refused_in_words(client, eclairage_marseille):
    html = post(client, eclairage_marseille["eclairage"], danger="peut-etre").content.decode()
    assert "« Y a-t-il un danger immédiat ? » : choisissez une réponse de la liste." in html
    assert not Signalement.objects.exists()


def test_tracking_page_shows_the_reporters_answers_in_words(client, eclairage_marseille):
    response = post(client, eclairage_marseille["eclairage"], danger="non", **{"points-eteints": "2"})
    html = client.get(response["Location"]).content.decode()
    assert "<dt>Y a-t-il un danger immédiat ?</dt><dd>Non</dd>" in html
    assert "<dt>Combien de points lumineux sont éteints ?</dt><dd>2</dd>" in html
