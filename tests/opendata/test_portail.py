"""The public open-data portal: catalogue, search and facets, dataset page, stable downloads, DCAT."""

import json

import pytest
from django.urls import reverse
from pyshacl import validate
from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, RDF

from gouvernance.enums import Theme
from gouvernance.models import JeuDeDonnees
from observatoire.accounts.enums import Role
from observatoire.opendata.services import publish
from observatoire.opendata.sources import SOURCES, sync_catalogue
from observatoire.territoires.models import Commune
from tests.factories import UserFactory
from tests.opendata.test_dcat import SHAPES

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")


@pytest.fixture
def publies(territoire, settings):
    settings.SITE_URL = "https://data.exemple.fr"
    sync_catalogue()
    for jeu in JeuDeDonnees.objects.publishable().exclude(source_technique=""):
        publish(jeu)
    return JeuDeDonnees.objects.all()


def test_catalogue_lists_published_public_datasets_only(client, publies):
    page = client.get(reverse("opendata:liste")).content.decode()
    assert "Communes de la métropole" in page and "Signalements dans l&#x27;espace public" in page
    assert "données complètes" not in page  # personal: never on the open data portal


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("contours", "communes-metropole"),
        ("CONTOUR population", "communes-metropole"),  # case insensitive, stemmed
        ("voirie proprete", "signalements-espace-public"),  # « propreté » without accent
        ("logements sociaux", "parc-social-rpls"),
        ("artificialisation", "consommation-espaces-naf"),
    ],
)
def test_search_is_french_unaccented_and_ranked(client, publies, query, first):
    ranked = list(JeuDeDonnees.objects.search(query).values_list("slug", flat=True))
    assert ranked[0] == first
    page = client.get(reverse("opendata:liste"), {"q": query}).content.decode()
    assert JeuDeDonnees.objects.get(slug=first).get_absolute_url() in page


@pytest.mark.parametrize("query", ["prix", "prix immobilier Aix", "coût du logement"])
def test_search_expands_synonyms_and_ignores_commune_names(client, publies, query):
    # No published dataset says « prix »: the values of the indicators (DVF prices among them)
    # and the social rents are found through « valeur » and « loyer »; every dataset covers Aix.
    slugs = [jeu.slug for jeu in client.get(reverse("opendata:liste"), {"q": query}).context["jeux"]]
    assert "indicateurs-observatoires" in slugs
    assert "dvf-mutations" not in slugs  # not published in open data


def test_a_search_leads_to_the_same_search_on_the_whole_portal(client, publies):
    html = client.get(reverse("opendata:liste"), {"q": "prix immobilier Aix"}).content.decode()
    assert f'href="{reverse("recherche:resultats")}?q=prix%20immobilier%20Aix"' in html


def test_title_matches_rank_above_description_matches(publies):
    ranked = list(JeuDeDonnees.objects.search("indicateurs").values_list("slug", flat=True))
    # In the title of one, only in the description of the DVF record.
    assert ranked[0] == "indicateurs-observatoires" and "dvf-mutations" in ranked[1:]


def test_facets_count_and_filter(client, publies):
    response = client.get(reverse("opendata:liste"), {"theme": Theme.TERRITOIRE})
    assert [j.slug for j in response.context["jeux"]] == ["communes-metropole"]
    facettes = dict(response.context["facettes"])
    assert [(i["label"], i["count"], i["active"]) for i in facettes["Thème"]] == [("Territoire", 1, True)]
    formats = {
        i["label"]: i["count"]
        for i in dict(client.get(reverse("opendata:liste")).context["facettes"])["Format"]
    }
    published = JeuDeDonnees.objects.publishable().exclude(source_technique="")
    spatial = {jeu.slug for jeu in published if SOURCES[jeu.source_technique].geometry}
    assert {
        "communes-metropole",
        "signalements-espace-public",
        "zonage-plui",
        "arrets-transport-en-commun",
    } <= spatial
    assert formats == {"CSV": published.count(), "GEOJSON": len(spatial), "PARQUET": published.count()}


def test_dataset_page_preview_and_stable_downloads(client, publies):
    jeu = JeuDeDonnees.objects.get(slug="communes-metropole")
    page = client.get(jeu.get_absolute_url())
    assert page.status_code == 200
    assert page.context["entetes"][:3] == ["insee", "nom", "population"] and len(page.context["lignes"]) == 10
    latest = client.get(reverse("opendata:telecharger", args=["communes-metropole", "geojson"]))
    assert latest["Content-Type"] == "application/geo+json"
    assert len(json.loads(b"".join(latest.streaming_content))["features"]) == 92
    Commune.objects.filter(insee="13001").update(population=1)
    publish(jeu)
    v1 = b"".join(
        client.get(reverse("opendata:version", args=["communes-metropole", 1, "csv"])).streaming_content
    )
    v2 = b"".join(
        client.get(reverse("opendata:telecharger", args=["communes-metropole", "csv"])).streaming_content
    )
    assert b"13001,Aix-en-Provence,1," in v2 and b"13001,Aix-en-Provence,1," not in v1
    assert client.get(reverse("opendata:version", args=["communes-metropole", 9, "csv"])).status_code == 404


def test_restricted_datasets_have_no_public_page_nor_file(client, publies):
    assert client.get("/opendata/signalements-complets/").status_code == 404
    assert client.get("/opendata/signalements-complets/telecharger/csv/").status_code == 404


def test_publish_now_is_for_catalogue_managers(client, publies, django_capture_on_commit_callbacks):
    url = reverse("opendata:publier", args=["communes-metropole"])
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    assert client.post(url).status_code == 404
    client.force_login(UserFactory(role=Role.AGD))
    response = client.post(url)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Publier maintenant" in page and "En file d&#x27;attente" in page
    assert "Dernières exécutions" in page and "Nouvelle version publiée" in page  # the journal, for managers


def _graph(client, extension, fmt, page=1):
    response = client.get(reverse("opendata:dcat", args=[extension]), {"page": page})
    assert response.status_code == 200
    return Graph().parse(data=response.content, format=fmt)


@pytest.mark.parametrize(("extension", "fmt"), [("jsonld", "json-ld"), ("ttl", "turtle"), ("rdf", "xml")])
def test_dcat_catalogue_parses_back_and_conforms_to_dcat_ap_3(client, publies, extension, fmt):
    graph = _graph(client, extension, fmt)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    published = publies.publishable().exclude(source_technique="")
    assert len(datasets) == published.count() >= 9  # 9 before issue 16's observatories
    for dataset in datasets:
        assert graph.value(dataset, DCTERMS.identifier) is not None  # data.gouv.fr requires it
        assert graph.value(dataset, DCTERMS.title) is not None
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    spatial = sum(1 for jeu in published if SOURCES[jeu.source_technique].geometry)
    assert len(distributions) == len(datasets) * 2 + spatial  # CSV and Parquet for all, GeoJSON if spatial
    assert all(
        str(graph.value(d, DCAT.downloadURL)).startswith("https://data.exemple.fr/opendata/")
        for d in distributions
    )
    shapes = Graph().parse(SHAPES, format="turtle")  # the full official shapes, kept in the repository
    conforms, _, report = validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, report


def test_dcat_pages_with_hydra(client, publies, monkeypatch):
    monkeypatch.setattr("observatoire.opendata.dcat.PAGE_SIZE", 2)
    first = _graph(client, "ttl", "turtle", page=1)
    view = next(first.subjects(RDF.type, HYDRA.PartialCollectionView))
    assert str(first.value(view, HYDRA.next)).endswith("catalog.ttl?page=2")
    count = publies.publishable().exclude(source_technique="").count()
    assert int(first.value(view, HYDRA.totalItems)) == count
    pages = -(-count // 2)
    last = _graph(client, "ttl", "turtle", page=pages)
    assert len(set(last.subjects(RDF.type, DCAT.Dataset))) == count - 2 * (pages - 1)
    assert last.value(next(last.subjects(RDF.type, HYDRA.PartialCollectionView)), HYDRA.next) is None


def test_a_dataset_withdrawn_from_open_data_stops_being_served_at_once(client, publies):
    jeu = JeuDeDonnees.objects.get(slug="communes-metropole")
    version = reverse("opendata:version", args=["communes-metropole", 1, "csv"])
    assert b"".join(client.get(version).streaming_content).startswith(b"insee,nom,population")
    jeu.publier, jeu.motif_non_publication = False, "Contours contestés, en révision"
    jeu.save()
    assert client.get(version).status_code == 404
    assert client.get(jeu.get_absolute_url()).status_code == 404
    assert "communes-metropole" not in client.get(reverse("opendata:dcat", args=["ttl"])).content.decode()
