"""The DCAT catalogue against the full official DCAT-AP 3.0.1 shapes, and the metadata harvesters keep."""

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

import observatoire.opendata
from gouvernance.models import JeuDeDonnees
from observatoire.opendata.coverage import parquet_period
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue
from tests.opendata.sitadel_rows import add_sitadel_rows

SHAPES = Path(observatoire.opendata.__file__).parent / "shapes" / "dcat-ap-3.0.1" / "dcat-ap-SHACL.ttl"
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
SITE = "https://data.exemple.fr"


@pytest.fixture
def publies(territoire, settings):
    settings.SITE_URL = SITE
    settings.OPENDATA_CONTACT_EMAIL = "donnees@exemple.fr"
    sync_catalogue()
    add_sitadel_rows()  # its period then comes from its data: 2019 to 2023
    for jeu in JeuDeDonnees.objects.publishable().exclude(source_technique=""):
        publish(jeu)
    return JeuDeDonnees.objects.publishable().exclude(source_technique="")


def _page(client, page, extension="ttl", fmt="turtle"):
    response = client.get(reverse("opendata:dcat", args=[extension]), {"page": page})
    assert response.status_code == 200
    return Graph().parse(data=response.content, format=fmt)


def _all_pages(client):
    """Every page of the catalogue, following hydra:next as a harvester does."""
    pages, page = [], 1
    while True:
        graph = _page(client, page)
        pages.append(graph)
        view = next(graph.subjects(RDF.type, HYDRA.PartialCollectionView))
        if graph.value(view, HYDRA.next) is None:
            return pages
        page += 1


def test_every_page_conforms_to_the_full_official_shapes(client, publies, monkeypatch):
    monkeypatch.setattr("observatoire.opendata.dcat.PAGE_SIZE", 4)
    shapes = Graph().parse(SHAPES, format="turtle")
    pages = _all_pages(client)
    # Every published dataset once, four to a page (9 datasets before issue 16, more since).
    assert publies.count() >= 9
    assert len(pages) == -(-publies.count() // 4)
    assert sum(len(set(g.subjects(RDF.type, DCAT.Dataset))) for g in pages) == publies.count()
    for graph in pages:
        conforms, _, report = validate(graph, shacl_graph=shapes, inference="none")
        assert conforms, report


def test_the_shapes_file_is_the_official_release():
    # Byte for byte the SEMIC release (see its README): 33 node shapes, spdx:checksumValue in hexBinary.
    shapes = Graph().parse(SHAPES, format="turtle")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    assert len(set(shapes.subjects(RDF.type, sh.NodeShape))) == 33
    assert (None, sh.datatype, XSD.hexBinary) in shapes
    assert SHAPES.stat().st_size == 155456


def _dataset(graph, slug):
    return URIRef(f"{SITE}/opendata/{slug}/")


def test_licence_titled_on_the_dataset_and_each_distribution(client, publies):
    graph = _page(client, 1)
    for slug in ("communes-metropole", "construction-neuve-sitadel"):
        dataset = _dataset(graph, slug)
        licence = graph.value(dataset, DCTERMS.license)
        assert str(licence) == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
        assert str(graph.value(licence, DCTERMS.title)) == "Licence Ouverte / Open Licence version 2.0"
        assert str(graph.value(licence, RDFS.label)) == "Licence Ouverte / Open Licence version 2.0"
        for distribution in graph.objects(dataset, DCAT.distribution):
            assert graph.value(distribution, DCTERMS.license) == licence


def test_spatial_coverage_is_the_territory_with_its_official_uri_and_bbox(client, publies):
    graph = _page(client, 1)
    location = graph.value(_dataset(graph, "communes-metropole"), DCTERMS.spatial)
    assert str(location) == "https://geo.api.gouv.fr/epcis/200054807"
    assert (location, RDF.type, DCTERMS.Location) in graph
    bbox = graph.value(location, DCAT.bbox)
    assert bbox.datatype == GSP.wktLiteral and str(bbox).startswith("POLYGON((")
    xmin, ymin = (float(v) for v in str(bbox)[9:].split(",")[0].split())
    assert 4.6 < xmin < 5.0 and 43.1 < ymin < 43.3  # the metropolis' south-west corner, in WGS 84
    assert str(graph.value(location, SKOS.prefLabel))


def test_temporal_coverage_comes_from_the_published_rows(client, publies):
    graph = _page(client, 1)
    period = graph.value(_dataset(graph, "construction-neuve-sitadel"), DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate).toPython() == dt.date(2019, 1, 1)
    assert graph.value(period, DCAT.endDate).toPython() == dt.date(2023, 12, 31)
    # No date nor year in the communes' rows: no period is made up.
    assert graph.value(_dataset(graph, "communes-metropole"), DCTERMS.temporal) is None


def test_contact_publisher_frequency_schema_media_types_and_checksum(client, publies):
    graph = _page(client, 1)
    dataset = _dataset(graph, "construction-neuve-sitadel")
    contact = graph.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in graph
    assert str(graph.value(contact, VCARD.hasEmail)) == "mailto:donnees@exemple.fr"
    publisher = graph.value(dataset, DCTERMS.publisher)
    assert str(publisher) == "https://annuaire-entreprises.data.gouv.fr/entreprise/200054807"
    assert (publisher, RDF.type, FOAF.Agent) in graph and graph.value(publisher, FOAF.name)
    frequency = graph.value(dataset, DCTERMS.accrualPeriodicity)
    assert str(frequency) == "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
    assert str(graph.value(frequency, SKOS.exactMatch)) == "http://purl.org/cld/freq/annual"
    distributions = {
        str(graph.value(d, DCAT.downloadURL)).split("/")[-2]: d
        for d in graph.objects(dataset, DCAT.distribution)
    }
    csv = distributions["csv"]
    media = graph.value(csv, DCAT.mediaType)
    assert str(media) == "https://www.iana.org/assignments/media-types/text/csv"
    assert str(graph.value(media, RDFS.label)) == "text/csv"
    assert (
        str(graph.value(csv, DCTERMS.format))
        == "http://publications.europa.eu/resource/authority/file-type/CSV"
    )
    checksum = graph.value(csv, SPDX.checksum)
    value = graph.value(checksum, SPDX.checksumValue)
    assert value.datatype == XSD.hexBinary and len(str(value)) == 64 and str(value) == str(value).lower()
    assert (graph.value(checksum, SPDX.algorithm), RDF.type, SPDX.ChecksumAlgorithm) in graph
    assert f"Empreinte SHA-256 : {value}" in str(graph.value(csv, DCTERMS.description))


def test_period_read_from_a_parquet_footer(tmp_path):
    path = tmp_path / "f.parquet"
    table = pa.table(
        {
            "date_signalement": pa.array([dt.date(2024, 3, 2), dt.date(2022, 1, 5)], pa.date32()),
            "date_cloture": pa.array(["2025-06-30", None]),  # ISO text, as files written before typed dates
            "population": pa.array([1, 999999], pa.int64()),  # a number, not a year
        }
    )
    pq.write_table(table, path)
    assert parquet_period(path) == (dt.date(2022, 1, 5), dt.date(2025, 6, 30))
    pq.write_table(pa.table({"millesime": pa.array([2015, 2021], pa.int16())}), path)
    assert parquet_period(path) == (dt.date(2015, 1, 1), dt.date(2021, 12, 31))
    pq.write_table(pa.table({"nom": ["a"]}), path)
    assert parquet_period(path) == (None, None)
