"""The dataset pages link what GIS clients read of a dataset, only where it exists."""

from django.urls import reverse

from gouvernance.models import JeuDeDonnees
from observatoire.accounts.enums import Role
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue
from tests.factories import UserFactory


def test_the_open_data_page_links_collections_tiles_and_the_iso_record(client, territoire):
    sync_catalogue()
    publish(JeuDeDonnees.objects.get(slug="communes-metropole"))
    page = client.get(reverse("opendata:jeu", args=["communes-metropole"])).content.decode()
    assert "Dans un logiciel SIG" in page
    assert f'href="{reverse("ogc:collection", args=["communes"])}"' in page
    assert f'href="{reverse("ogc:collection", args=["arrondissements"])}"' in page
    assert f'href="{reverse("ogc:tiles-tilejson", args=["communes", "WebMercatorQuad"])}"' in page
    assert f'href="{reverse("ogc:metadonnees", args=["communes-metropole"])}"' in page
    assert "Couches réservées" not in page


def test_the_meta_catalogue_page_links_them_for_restricted_datasets_too(client, territoire):
    sync_catalogue()
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    page = client.get(reverse("acces:jeu", args=["gisements-fonciers"])).content.decode()
    assert f'href="{reverse("ogc:collection", args=["gisements"])}"' in page
    assert f'href="{reverse("ogc:metadonnees", args=["gisements-fonciers"])}"' in page
    assert "Couches réservées" in page
    assert client.get(reverse("ogc:metadonnees", args=["gisements-fonciers"])).status_code == 200


def test_no_section_for_a_dataset_without_geometry(client, territoire):
    sync_catalogue()
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    page = client.get(reverse("acces:jeu", args=["flux-domicile-travail"])).content.decode()
    assert "Services géographiques" not in page and "metadonnees" not in page
    assert client.get(reverse("ogc:metadonnees", args=["flux-domicile-travail"])).status_code == 404
