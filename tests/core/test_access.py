"""Deny by default: only the pages listed here are public."""

import pytest

from observatoire.accounts.enums import Role
from tests.factories import UserFactory

PUBLIC_PAGES = [
    "/",
    "/observatoires/",
    "/observatoires/habitat/",
    "/observatoires/foncier/",
    "/observatoires/mobilite/",
    "/signalements/",
    "/gouvernance/",
    "/opendata/",
    "/mentions-legales/",
    "/accessibilite/",
    "/donnees-personnelles/",
    "/comptes/login/",
    "/comptes/inscription/",
    "/comptes/password_reset/",
    "/health/",
    "/api/schema/",
    "/api/docs/",
    "/api/v1/territoire/communes.geojson",
    "/territoires/13055/",
    "/api/v1/indicateurs/",
    "/api/v1/observatoires/contenus/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_to_anonymous(client, territoire, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/comptes/profil/", "/comptes/password_change/"])
def test_private_pages_redirect_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/?next=")


def test_unknown_api_path_is_json_not_a_login_redirect(client):
    response = client.get("/api/v1/inexistant/")
    assert response.status_code in (401, 404)
    assert response["Content-Type"].startswith("application/json") or response.status_code == 404


def test_home_page_lists_the_92_communes_and_key_figures(client, territoire):
    content = client.get("/").content.decode()
    assert "92</strong> communes" in content
    assert "1\u202f878\u202f061" in content
    assert content.count('<tr><td><a href="/territoires/') == 92
    assert 'id="carte-communes"' in content


@pytest.mark.parametrize(
    ("role", "admin_status"),
    [(Role.CITOYEN, 302), (Role.AGENT_COMMUNAL, 302), (Role.PARTENAIRE, 302), (Role.SUPERADMIN, 200)],
)
def test_admin_is_for_staff_only(client, role, admin_status):
    user = UserFactory(role=role, is_staff=role == Role.SUPERADMIN, is_superuser=role == Role.SUPERADMIN)
    client.force_login(user)
    assert client.get("/admin/").status_code == admin_status


def test_home_page_query_count_does_not_grow_with_communes(client, territoire, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get("/").status_code == 200
