"""The CSW 2.0.2 endpoint as clients nobody here wrote use it: OWSLib, GDAL's CSW driver, and the
sequence of requests GeoNetwork's CSW harvester sends (capabilities, hits, pages of results, each
record by identifier in ISO 19139).

Run against a live server with committed rows, once for the module; the database is flushed and the
reference data reloaded afterwards, as after pytest-django's transactional tests.
"""

import shutil
import subprocess
import warnings
from urllib.parse import urlencode

import httpx
import pytest
from django.core.management import call_command
from django.test import override_settings
from lxml import etree
from owslib import fes
from owslib.catalogue.csw2 import CatalogueServiceWeb
from owslib.iso import MD_Metadata
from owslib.util import ServiceException
from pytest_django.live_server_helper import LiveServer
from rest_framework.authtoken.models import Token

from gouvernance.models import JeuDeDonnees
from observatoire.accounts.enums import Role
from observatoire.ogc import iso
from observatoire.ogc.registry import all_collections
from observatoire.opendata.services import publish
from observatoire.opendata.sources import SOURCES, sync_catalogue
from tests.conftest import load_reference_data
from tests.factories import UserFactory
from tests.foncier.test_gisements import gisements_rows, write_layer

GMD = "http://www.isotc211.org/2005/gmd"
OWS = {"ows": "http://www.opengis.net/ows", "csw": "http://www.opengis.net/cat/csw/2.0.2"}
DC = {**OWS, "dc": "http://purl.org/dc/elements/1.1/", "dct": "http://purl.org/dc/terms/"}
OGRINFO = shutil.which("ogrinfo")


@pytest.fixture(scope="module")
def portal(django_db_setup, django_db_blocker, tmp_path_factory):
    # A server of the module's own: pytest-django's ``live_server``, once asked for, makes the test
    # asking transactional, and its flush would wipe the rows committed here for the whole module.
    live_server = LiveServer("localhost")
    live_server._live_server_modified_settings.enable()
    folder = tmp_path_factory.mktemp("csw")
    overrides = override_settings(SITE_URL=live_server.url, MEDIA_ROOT=folder / "media")
    overrides.enable()
    try:
        with django_db_blocker.unblock():
            load_reference_data()
            sync_catalogue()
            call_command("import_gisements", str(write_layer(folder, gisements_rows())), verbosity=0)
            publish(JeuDeDonnees.objects.get(slug="communes-metropole"))
            token = Token.objects.create(user=UserFactory(role=Role.AGENT_METROPOLITAIN)).key
            public = set(
                JeuDeDonnees.objects.filter(sensibilite="public", slug__in=_geographic()).values_list(
                    "slug", flat=True
                )
            )
        yield live_server.url, token, public
    finally:
        overrides.disable()
        live_server._live_server_modified_settings.disable()
        live_server.stop()
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            load_reference_data(refresh=True)


def _geographic():
    """Datasets an OGC collection serves or whose open-data source has a geometry (and is listed)."""
    served = {c.dataset for c in all_collections().values()}
    spatial = {key for key, source in SOURCES.items() if source.geometry}
    return [
        jeu.slug
        for jeu in JeuDeDonnees.objects.all()
        if jeu.slug in served or jeu.source_technique in spatial
    ]


def _csw(url, token=None):
    headers = {"Authorization": f"Token {token}"} if token else None
    return CatalogueServiceWeb(f"{url}/ogc/csw", timeout=60, headers=headers)


def _identifiers(slugs):
    return {iso.file_identifier(slug) for slug in slugs}


def test_capabilities_read_by_owslib(portal):
    url, _, _ = portal
    csw = _csw(url)
    assert csw.identification.type == "CSW" and csw.identification.version == "2.0.2"
    assert csw.identification.title.startswith("Catalogue des données géographiques")
    assert "INSPIRE" in csw.identification.keywords
    assert csw.provider.contact.email
    operations = {op.name: op for op in csw.operations}
    assert set(operations) >= {
        "GetCapabilities",
        "DescribeRecord",
        "GetRecords",
        "GetRecordById",
        "GetDomain",
    }
    methods = {m["type"]: m["url"] for m in operations["GetRecords"].methods}
    assert methods == {"Get": f"{url}/ogc/csw", "Post": f"{url}/ogc/csw"}
    parameters = operations["GetRecords"].parameters
    assert set(parameters["outputSchema"]["values"]) == {"http://www.opengis.net/cat/csw/2.0.2", GMD}
    assert set(parameters["typeNames"]["values"]) == {"csw:Record", "gmd:MD_Metadata"}
    assert set(parameters["CONSTRAINTLANGUAGE"]["values"]) == {"FILTER", "CQL_TEXT"}
    assert "BBOX" in csw.filters.spatial_operators
    assert "Like" in csw.filters.scalar_comparison_operators


def test_full_text_search_in_both_schemas(portal):
    url, _, _ = portal
    csw = _csw(url)
    words = fes.PropertyIsLike("csw:AnyText", "%urbanisme%")
    csw.getrecords2(constraints=[words], esn="full", maxrecords=20)
    assert csw.results["matches"] == 1
    record = next(iter(csw.records.values()))
    assert record.title == "Zonage des plans locaux d'urbanisme intercommunaux"
    assert record.identifier == iso.file_identifier("zonage-plui")
    assert "PLUi" in record.subjects and record.type == "dataset"
    assert record.bbox is not None and record.bbox.crs.code == 4326
    schemes = {r["scheme"] for r in record.references}
    assert {"OGC API Features", "ISO 19139"} <= schemes
    csw.getrecords2(constraints=[words], outputschema=GMD, typenames="gmd:MD_Metadata", esn="full")
    assert list(csw.records) == [iso.file_identifier("zonage-plui")]
    assert isinstance(csw.records[iso.file_identifier("zonage-plui")], MD_Metadata)


def test_full_text_goes_through_the_catalogue_search(portal):
    url, _, _ = portal
    csw = _csw(url)
    # « commune » is not written as such in the PLUi record: the French stemmer finds « communes ».
    csw.getrecords2(constraints=[fes.PropertyIsLike("csw:AnyText", "%commune%")], maxrecords=50)
    assert iso.file_identifier("communes-metropole") in csw.records
    # A part of a word, which no full-text search finds, still matches as text.
    csw.getrecords2(constraints=[fes.PropertyIsLike("csw:AnyText", "%rbanism%")], maxrecords=50)
    assert set(csw.records) == {iso.file_identifier("zonage-plui")}
    csw.getrecords2(constraints=[fes.PropertyIsLike("csw:AnyText", "%zzzrien%")], maxrecords=50)
    assert csw.results["matches"] == 0 and csw.results["nextrecord"] == 0


def test_paging_with_next_record(portal):
    url, _, public = portal
    csw = _csw(url)
    seen, start, pages = [], 1, 0
    while start:
        csw.getrecords2(startposition=start, maxrecords=2, esn="brief")
        assert csw.results["matches"] == len(public)
        assert csw.results["returned"] <= 2
        seen.extend(csw.records)
        start, pages = csw.results["nextrecord"], pages + 1
    assert pages == -(-len(public) // 2)
    assert len(seen) == len(set(seen)) and set(seen) == _identifiers(public)


def test_get_record_by_id_in_both_schemas(portal):
    url, _, _ = portal
    csw = _csw(url)
    identifier = iso.file_identifier("communes-metropole")
    csw.getrecordbyid([identifier])
    assert csw.records[identifier].title == "Communes de la métropole : contours et population"
    csw.getrecordbyid([identifier], outputschema=GMD)
    record = csw.records[identifier]
    assert record.identification[0].title == "Communes de la métropole : contours et population"
    csw.getrecordbyid(["inconnu"])
    assert csw.records == {}


def test_every_record_read_by_owslib_iso_parser(portal):
    url, _, public = portal
    csw = _csw(url)
    csw.getrecords2(outputschema=GMD, typenames="gmd:MD_Metadata", esn="full", maxrecords=100)
    assert set(csw.records) == _identifiers(public)
    for identifier, record in csw.records.items():
        slug = next(s for s in public if iso.file_identifier(s) == identifier)
        ident = record.identification[0]
        assert ident.title and ident.abstract
        assert -180 < float(ident.bbox.minx) < float(ident.bbox.maxx) < 180
        assert ident.keywords and all(k.name for block in ident.keywords for k in block.keywords)
        assert record.contact[0].email and ident.contact[0].organization
        assert record.referencesystem.code_url == "http://www.opengis.net/def/crs/EPSG/0/2154"
        urls = [o.url for o in record.distribution.online]
        assert urls and all(u.startswith(url) for u in urls), slug
        assert "Pas de restriction d'accès public" in ident.otherconstraints
    communes = csw.records[iso.file_identifier("communes-metropole")]
    online = {o.protocol: o.url for o in communes.distribution.online if o.protocol != "OGC API Features"}
    assert online["WWW:DOWNLOAD-1.0-http--download"].startswith(
        f"{url}/opendata/communes-metropole/telecharger/"
    )
    served = httpx.get(f"{url}/ogc/collections/communes", params={"f": "json"}, timeout=30)
    assert served.status_code == 200  # the Features link of the record answers


def _post(url, body, token=None):
    headers = {"Content-Type": "application/xml"}
    if token:
        headers["Authorization"] = f"Token {token}"
    return httpx.post(f"{url}/ogc/csw", content=body.encode(), headers=headers, timeout=60)


GET_RECORDS = """<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecords xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" xmlns:ogc="http://www.opengis.net/ogc"
    service="CSW" version="2.0.2" resultType="{result}" startPosition="{start}" maxRecords="{size}">
  <csw:Query typeNames="csw:Record"><csw:ElementSetName>summary</csw:ElementSetName></csw:Query>
</csw:GetRecords>"""
GET_RECORD_BY_ID = """<?xml version="1.0" encoding="UTF-8"?>
<csw:GetRecordById xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" service="CSW" version="2.0.2"
    outputSchema="http://www.isotc211.org/2005/gmd">
  <csw:Id>{identifier}</csw:Id><csw:ElementSetName>full</csw:ElementSetName>
</csw:GetRecordById>"""


def test_the_geonetwork_harvester_sequence(portal):
    """GeoNetwork's CSW harvester: capabilities, a hits count, pages of summaries (identifier and
    modification date, to skip what it already has), then each record by id in ISO 19139."""
    url, _, public = portal
    capabilities = httpx.get(
        f"{url}/ogc/csw", params={"service": "CSW", "request": "GetCapabilities"}, timeout=30
    )
    assert capabilities.status_code == 200
    post = etree.fromstring(capabilities.content).xpath(
        "//ows:Operation[@name='GetRecords']//ows:Post/@xlink:href",
        namespaces={**OWS, "xlink": "http://www.w3.org/1999/xlink"},
    )
    assert post == [f"{url}/ogc/csw"]
    hits = etree.fromstring(_post(url, GET_RECORDS.format(result="hits", start=1, size=10)).content)
    results = hits.find("csw:SearchResults", DC)
    matched = int(results.get("numberOfRecordsMatched"))
    assert matched == len(public) and results.get("numberOfRecordsReturned") == "0" and len(results) == 0
    summaries, start = {}, 1
    while start:
        page = etree.fromstring(_post(url, GET_RECORDS.format(result="results", start=start, size=3)).content)
        results = page.find("csw:SearchResults", DC)
        for record in results.findall("csw:SummaryRecord", DC):
            summaries[record.findtext("dc:identifier", namespaces=DC)] = record.findtext(
                "dct:modified", namespaces=DC
            )
        start = int(results.get("nextRecord"))
    assert len(summaries) == matched and all(summaries.values())
    for identifier in summaries:
        answer = _post(url, GET_RECORD_BY_ID.format(identifier=identifier))
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
        metadata = etree.fromstring(answer.content).find(f"{{{GMD}}}MD_Metadata")
        assert MD_Metadata(metadata).identifier == identifier


@pytest.mark.skipif(OGRINFO is None, reason="GDAL absent")
def test_gdal_csw_driver_lists_the_records(portal):
    url, _, public = portal
    result = subprocess.run(
        [OGRINFO, "-ro", "-al", "-q", f"CSW:{url}/ogc/csw"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("OGRFeature(records)") == len(public)
    # GDAL < 3.7 has no « title » field in this driver (OSGeo/gdal#6912): identifiers and abstracts.
    for slug in public:
        assert f"identifier (String) = {iso.file_identifier(slug)}" in result.stdout
    assert "Contours, code INSEE et population municipale" in result.stdout  # dct:abstract
    assert "POLYGON ((" in result.stdout  # the bounding box, read as the record's geometry


def test_cql_text_and_filters_with_bbox(portal):
    url, _, _ = portal
    csw = _csw(url)
    csw.getrecords2(cql="dc:title LIKE '%communes%' OR dc:subject = 'PLUi'", maxrecords=50)
    assert set(csw.records) == {iso.file_identifier("communes-metropole"), iso.file_identifier("zonage-plui")}
    params = {
        "service": "CSW",
        "version": "2.0.2",
        "request": "GetRecords",
        "typeNames": "csw:Record",
        "resultType": "results",
        "constraintLanguage": "CQL_TEXT",
        "constraint": "BBOX(ows:BoundingBox, 20, 40, 21, 41)",
    }
    far = etree.fromstring(httpx.get(f"{url}/ogc/csw", params=params, timeout=30).content)
    assert far.find("csw:SearchResults", DC).get("numberOfRecordsMatched") == "0"
    around_aix = fes.BBox([43.50, 5.40, 43.56, 5.48], crs="urn:ogc:def:crs:EPSG::4326")  # latitude first
    words = fes.PropertyIsLike("dc:title", "%commune%")
    csw.getrecords2(constraints=[fes.And([words, around_aix])], maxrecords=50)
    assert iso.file_identifier("communes-metropole") in csw.records
    far_away = fes.BBox([40, 20, 41, 21], crs="urn:ogc:def:crs:EPSG::4326")
    csw.getrecords2(constraints=[fes.And([words, far_away])])
    assert csw.results["matches"] == 0


def _exception(response):
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.opengis.net/ows}ExceptionReport"
    exception = root.find("ows:Exception", OWS)
    return (
        exception.get("exceptionCode"),
        exception.get("locator"),
        exception.findtext("ows:ExceptionText", namespaces=OWS),
    )


@pytest.mark.parametrize(
    ("params", "code", "locator", "words"),
    [
        ({"service": "CSW", "version": "2.0.2"}, "MissingParameterValue", "request", "obligatoire"),
        ({"service": "WFS", "request": "GetCapabilities"}, "InvalidParameterValue", "service", "CSW"),
        (
            {"service": "CSW", "version": "2.0.2", "request": "Harvest"},
            "OperationNotSupported",
            "request",
            "Harvest",
        ),
        (
            {"service": "CSW", "version": "3.0.0", "request": "GetRecords"},
            "InvalidParameterValue",
            "version",
            "2.0.2",
        ),
        (
            {"service": "CSW", "version": "2.0.2", "request": "GetRecords", "typeNames": "wfs:FeatureType"},
            "InvalidParameterValue",
            "typeNames",
            "inconnu",
        ),
        (
            {
                "service": "CSW",
                "version": "2.0.2",
                "request": "GetRecords",
                "outputSchema": "http://exemple.fr/x",
            },
            "InvalidParameterValue",
            "outputSchema",
            "non pris en charge",
        ),
        (
            {"service": "CSW", "version": "2.0.2", "request": "GetRecords", "maxRecords": "beaucoup"},
            "InvalidParameterValue",
            "maxRecords",
            "entier",
        ),
        (
            {"service": "CSW", "version": "2.0.2", "request": "GetRecords", "constraint": "dc:title = 'x'"},
            "MissingParameterValue",
            "CONSTRAINTLANGUAGE",
            "obligatoire",
        ),
        (
            {
                "service": "CSW",
                "version": "2.0.2",
                "request": "GetRecords",
                "constraintLanguage": "CQL_TEXT",
                "constraint": "dc:title LIKE",
            },
            "InvalidParameterValue",
            "constraint",
            "CQL",
        ),
        (
            {
                "service": "CSW",
                "version": "2.0.2",
                "request": "GetRecords",
                "constraintLanguage": "CQL_TEXT",
                "constraint": "dc:couleur = 'bleu'",
            },
            "InvalidParameterValue",
            "constraint",
            "non interrogeable",
        ),
        (
            {"service": "CSW", "version": "2.0.2", "request": "GetRecordById"},
            "MissingParameterValue",
            "id",
            "obligatoire",
        ),
        (
            {
                "service": "CSW",
                "version": "2.0.2",
                "request": "GetRecords",
                "constraintLanguage": "CQL_TEXT",
                "constraint": "csw:AnyText LIKE '" + "%a" * 20 + "'",
            },
            "InvalidParameterValue",
            "Filter",
            "jokers",
        ),
        (
            {"service": "CSW", "version": "2.0.2", "request": "GetRecords", "ElementName": "dc:title"},
            "InvalidParameterValue",
            "ElementName",
            "ElementSetName",
        ),
        (
            {"service": "CSW", "request": "GetCapabilities", "acceptVersions": "3.0.0"},
            "VersionNegotiationFailed",
            "AcceptVersions",
            "2.0.2",
        ),
    ],
)
def test_bad_requests_get_an_exception_report_in_french(portal, params, code, locator, words):
    url, _, _ = portal
    response = httpx.get(f"{url}/ogc/csw?{urlencode(params)}", timeout=30)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/xml")
    assert _exception(response)[:2] == (code, locator)
    assert words in _exception(response)[2]


def test_bad_xml_posts_get_an_exception_report(portal):
    url, _, _ = portal
    junk = _post(url, "<csw:GetRecords")
    assert junk.status_code == 400 and _exception(junk)[0] == "NoApplicableCode"
    assert "XML illisible" in _exception(junk)[2]
    unknown = GET_RECORDS.format(result="results", start=1, size=1).replace(
        "<csw:ElementSetName>summary</csw:ElementSetName>",
        '<csw:Constraint version="1.1.0"><ogc:Filter><ogc:PropertyIsBetween/></ogc:Filter></csw:Constraint>',
    )
    refused = _post(url, unknown)
    assert refused.status_code == 400
    assert _exception(refused)[:2] == ("OperationNotSupported", "Filter")
    # OWSLib turns the report into an exception its users catch.
    with pytest.raises(ServiceException), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _csw(url).getrecordbyid([])


def test_restricted_records_for_an_agent_token_only(portal):
    url, token, public = portal
    gisements = iso.file_identifier("gisements-fonciers")
    anonymous = _csw(url)
    anonymous.getrecordbyid([gisements])
    assert anonymous.records == {}
    agent = _csw(url, token)
    agent.getrecords2(maxrecords=100)
    assert gisements in agent.records and agent.results["matches"] > len(public)
    agent.getrecordbyid([gisements], outputschema=GMD)
    constraints = agent.records[gisements].identification[0].otherconstraints
    assert any("CRPA" in c for c in constraints)
    response = httpx.get(
        f"{url}/ogc/csw",
        params={"service": "CSW", "version": "2.0.2", "request": "GetRecordById", "id": gisements},
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    refused = httpx.get(f"{url}/ogc/csw", headers={"Authorization": "Token faux"}, timeout=30)
    assert refused.status_code == 401 and _exception(refused)[0] == "NoApplicableCode"


def test_describe_record_and_get_domain(portal):
    url, _, _ = portal
    csw = _csw(url)
    csw.describerecord("gmd:MD_Metadata")
    assert b"SchemaComponent" in csw.response
    csw.getdomain("GetRecords.outputSchema")
    assert set(csw.results["values"]) == {"http://www.opengis.net/cat/csw/2.0.2", GMD}
    csw.getdomain("dc:subject", dtype="property")
    assert "PLUi" in csw.results["values"] and "boundaries" in csw.results["values"]


def test_a_stable_address_per_record(portal):
    url, token, _ = portal
    response = httpx.get(f"{url}/ogc/metadonnees/communes-metropole.xml", timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/xml")
    record = MD_Metadata(etree.fromstring(response.content))
    assert record.identifier == iso.file_identifier("communes-metropole")
    assert httpx.get(f"{url}/ogc/metadonnees/gisements-fonciers.xml", timeout=30).status_code == 404
    restricted = httpx.get(
        f"{url}/ogc/metadonnees/gisements-fonciers.xml",
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    assert restricted.status_code == 200 and restricted.headers["x-robots-tag"] == "noindex, nofollow"
    assert httpx.get(f"{url}/ogc/metadonnees/inconnu.xml", timeout=30).status_code == 404


def test_the_features_documents_link_the_catalogue(portal):
    url, _, _ = portal
    landing = httpx.get(f"{url}/ogc/", params={"f": "json"}, timeout=30).json()
    assert any(link["rel"] == "search" and "/ogc/csw?" in link["href"] for link in landing["links"])
    collection = httpx.get(f"{url}/ogc/collections/communes", params={"f": "json"}, timeout=30).json()
    described = [link["href"] for link in collection["links"] if link["rel"] == "describedby"]
    assert described == [f"{url}/ogc/metadonnees/communes-metropole.xml"]
    assert httpx.get(described[0], timeout=30).status_code == 200


def test_kvp_posted_as_a_form(portal):
    url, _, public = portal
    form = {"service": "CSW", "version": "2.0.2", "request": "GetRecords", "resultType": "hits"}
    answer = etree.fromstring(httpx.post(f"{url}/ogc/csw", data=form, timeout=30).content)
    assert answer.find("csw:SearchResults", DC).get("numberOfRecordsMatched") == str(len(public))


@pytest.mark.skipif(OGRINFO is None, reason="GDAL absent")
def test_gdal_csw_driver_filters_by_bbox_and_reads_iso(portal):
    url, _, public = portal

    def ogrinfo(*options):
        command = [OGRINFO, "-ro", "-al", "-q", *options, f"CSW:{url}/ogc/csw"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    # GDAL sends the box latitude first under urn:ogc:def:crs:EPSG::4326.
    around_aix = ogrinfo("-spat", "5.44", "43.52", "5.46", "43.53")
    assert f"identifier (String) = {iso.file_identifier('communes-metropole')}" in around_aix
    assert "OGRFeature(records)" not in ogrinfo("-spat", "20", "40", "21", "41")
    in_iso = ogrinfo("-oo", "OUTPUT_SCHEMA=gmd")
    assert in_iso.count("OGRFeature(records)") == len(public)
    assert in_iso.count("raw_xml (String) = <gmd:MD_Metadata") == len(public)
