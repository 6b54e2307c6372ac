"""Visibility of each audience of content, per role: on the page, for the file and in the API."""

import pytest
from django.core.files.base import ContentFile

from observatoire.accounts.enums import Role
from observatoire.observatoires.enums import TypeContenu, Visibilite
from observatoire.observatoires.models import Contenu, Observatoire, Rubrique
from tests.factories import UserFactory

V = Visibilite
SEES = {
    None: {V.PUBLIC},
    Role.CITOYEN: {V.PUBLIC},
    Role.PARTENAIRE: {V.PUBLIC, V.PARTENAIRES},
    Role.AGENT_COMMUNAL: {V.PUBLIC, V.PARTENAIRES, V.COMMUNAUX},
    Role.ADMIN_COMMUNAL: {V.PUBLIC, V.PARTENAIRES, V.COMMUNAUX},
    Role.AGENT_METROPOLITAIN: set(V),
    Role.ELU: set(V),
    Role.AGD: set(V),
    Role.GESTIONNAIRE_SIGNALEMENTS: {V.PUBLIC},
}


@pytest.fixture
def contenus(territoire):
    rubrique = Rubrique.objects.get(observatoire__slug="habitat", slug="cadrage")
    made = {}
    for visibilite in Visibilite:
        contenu = Contenu(
            rubrique=rubrique,
            type=TypeContenu.ETUDE,
            titre=f"Étude {visibilite.value}",
            visibilite=visibilite,
        )
        contenu.fichier.save(f"etude-{visibilite.value}.pdf", ContentFile(b"%PDF-1.4 etude"), save=True)
        made[visibilite] = contenu
    return made


def client_for(client, role):
    if role is not None:
        client.force_login(UserFactory(role=role))
    return client


def test_the_metropolis_observatories_and_habitat_rubriques_are_shipped(territoire):
    assert list(Observatoire.objects.values_list("slug", "statut")) == [
        ("habitat", "actif"), ("foncier", "actif"), ("mobilite", "en_cours"),
        ("fiscalite", "actif"), ("environnement", "actif"),
    ]  # fmt: skip
    assert Rubrique.objects.filter(observatoire__slug="habitat").count() == 6


@pytest.mark.parametrize("role", list(SEES), ids=lambda r: getattr(r, "value", "anonyme"))
def test_page_lists_only_visible_contents_and_counts_the_others(client, contenus, role):
    page = client_for(client, role).get("/observatoires/habitat/").content.decode()
    for visibilite, contenu in contenus.items():
        assert (contenu.titre in page) is (visibilite in SEES[role]), visibilite
    hidden = len(Visibilite) - len(SEES[role])
    if hidden:
        assert f"{hidden} contenu" in page


@pytest.mark.parametrize("role", list(SEES), ids=lambda r: getattr(r, "value", "anonyme"))
def test_file_download_follows_visibility(client, contenus, role):
    client = client_for(client, role)
    for visibilite, contenu in contenus.items():
        response = client.get(f"/observatoires/contenus/{contenu.pk}/telecharger/")
        if visibilite in SEES[role]:
            assert response.status_code == 200
            assert b"".join(response.streaming_content).startswith(b"%PDF")
        elif role is None:
            assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("role", list(SEES), ids=lambda r: getattr(r, "value", "anonyme"))
def test_api_lists_only_visible_contents(client, contenus, role):
    results = client_for(client, role).get("/api/v1/observatoires/contenus/").json()["results"]
    assert {r["visibilite"] for r in results} == {v.value for v in SEES[role]}


def test_a_download_needs_its_file_and_a_link_its_address(territoire):
    from django.core.exceptions import ValidationError

    rubrique = Rubrique.objects.first()
    with pytest.raises(ValidationError, match="fichier"):
        Contenu(rubrique=rubrique, type=TypeContenu.DONNEE, titre="x").full_clean()
    with pytest.raises(ValidationError, match="adresse"):
        Contenu(rubrique=rubrique, type=TypeContenu.LIEN, titre="x").full_clean()


# Who the catalogue admits to the restricted gisements inventory (roles of its record).
SEES_GISEMENTS = {
    None: False,
    Role.CITOYEN: False,
    Role.PARTENAIRE: False,
    Role.AGENT_COMMUNAL: False,
    Role.AGENT_METROPOLITAIN: True,
    Role.ELU: True,
    Role.AGD: True,
    Role.GESTIONNAIRE_SIGNALEMENTS: False,
}


@pytest.mark.parametrize("role", list(SEES_GISEMENTS), ids=lambda r: getattr(r, "value", "anonyme"))
def test_a_content_showing_restricted_rows_is_listed_only_to_those_the_dataset_admits(
    client, territoire, role
):
    rubrique = Rubrique.objects.get(observatoire__slug="foncier", slug="gisements")
    carte = Contenu.objects.create(
        rubrique=rubrique,
        type=TypeContenu.CARTE_DYNAMIQUE,
        titre="Carte des gisements fonciers",
        visibilite=Visibilite.PUBLIC,  # meant for everyone, but it shows a restricted dataset
        url="/foncier/gisements/?commune=13001",
    )
    client = client_for(client, role)
    page = client.get("/observatoires/foncier/").content.decode()
    listed = client.get("/api/v1/observatoires/contenus/", {"observatoire": "foncier"}).json()["results"]
    sees = SEES_GISEMENTS[role]
    assert (carte.titre in page) is sees and ([r["titre"] for r in listed] == [carte.titre]) is sees
    assert ("1 contenu" in page) is not sees
