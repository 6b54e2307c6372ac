"""With DEBUG off, errors are French pages in the portal's layout saying what to do next; the API
answers JSON; the right status every time."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from observatoire.accounts.enums import Role
from observatoire.core.errors import server_error
from tests.factories import UserFactory

pytestmark = pytest.mark.urls("tests.core.error_urls")

NAV = 'aria-label="Navigation principale"'


def text(response):
    return response.content.decode()


def test_forbidden_page_for_a_signed_in_person_points_to_their_spaces_and_whom_to_ask(client):
    client.force_login(UserFactory(role=Role.CITOYEN))
    response = client.get("/gouvernance/telechargements/?jeu=x")
    page = text(response)
    assert response.status_code == 403
    assert NAV in page and "<h1>Accès refusé</h1>" in page and "Forbidden" not in page
    assert f'href="{reverse("profile")}"' in page
    assert "administrateur général des données" in page
    assert "/comptes/login/?next=/gouvernance/telechargements/%3Fjeu%3Dx" in page


def test_forbidden_page_for_a_visitor_offers_to_log_in_and_come_back(client):
    response = client.get("/test-interdit/")
    page = text(response)
    assert response.status_code == 403 and NAV in page
    assert '<a href="/comptes/login/?next=/test-interdit/">Vous connecter</a>' in page
    assert reverse("signup") in page


def test_unknown_page_is_a_french_404_in_the_layout(client):
    response = client.get("/nulle-part/")
    page = text(response)
    assert response.status_code == 404
    assert NAV in page and "<h1>Page introuvable</h1>" in page and "Not Found" not in page
    assert reverse("opendata:liste") in page


def test_api_errors_stay_json(client):
    response = client.get("/api/v1/nulle-part/")
    assert response.status_code == 404 and response.json() == {"detail": "Ressource introuvable."}
    failing = Client(raise_request_exception=False).get("/api/v1/territoire/communes/?format=inconnu")
    assert failing["Content-Type"].startswith("application/json")


def test_server_error_page_renders_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    page = text(response)
    assert response.status_code == 500
    assert "Le portail a rencontré une erreur" in page and 'class="site-header"' in page
    assert "Métropole d&#x27;Aix-Marseille-Provence" in page

    crashed = Client(raise_request_exception=False).get("/test-erreur/")
    assert crashed.status_code == 500 and "Le portail a rencontré une erreur" in text(crashed)


def test_csrf_failure_is_explained_in_french():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    page = text(response)
    assert response.status_code == 403
    assert NAV in page and "Formulaire expiré" in page and "rechargez-la" in page


def test_maintenance_mode_answers_503_everywhere_but_health(client, settings):
    settings.MAINTENANCE_MODE = True
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "600"
    assert "Le portail est en maintenance" in text(response) and 'class="site-header"' in text(response)
    api = client.get("/api/v1/territoire/communes/")
    assert api.status_code == 503 and "maintenance" in api.json()["detail"]
    assert "maintenance" not in client.get("/health/").content.decode()  # monitoring still sees the parts


def test_login_lockout_is_a_429_page_in_the_layout(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": user.email, "password": "mauvais"})
    page = text(response)
    assert response.status_code == 429 and NAV in page
    assert "Erreur 429" in page and "Connexion temporairement bloquée" in page and "Que faire ?" in page


def test_bad_request_is_a_french_400_in_the_layout(client):
    unknown_host = client.get("/", HTTP_HOST="portail.invalide")  # DisallowedHost: a 400
    page = text(unknown_host)
    assert unknown_host.status_code == 400 and "<h1>Requête invalide</h1>" in page and "Que faire ?" in page
    nul = client.get("/gouvernance/", {"q": "a\x00b"})
    assert nul.status_code == 400 and "caractère nul" in text(nul) and "Que faire ?" in text(nul)
