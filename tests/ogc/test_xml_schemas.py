"""The portal's ISO records and CSW answers against the official XML schemas (ISO 19139, CSW 2.0.2).

GeoNetwork validates ``iso19139`` records against these very schemas when a harvester is set to;
an answer that passes OWSLib's lenient parser could still fail there.
"""

from functools import cache
from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from observatoire.accounts.enums import Role
from observatoire.ogc import iso
from tests.factories import UserFactory
from tests.ogc.test_iso_records import catalogue  # noqa: F401 - the fixture

SCHEMAS = Path(__file__).parent / "schemas"
ISO = SCHEMAS / "plugins/profiles/apiso/schemas/ogc/iso/19139/20070417"
GMD = ISO / "gmd/gmd.xsd"
GMX = ISO / "gmx/gmx.xsd"  # gmx:Anchor, which INSPIRE asks for in place of gco:CharacterString
CSW = SCHEMAS / "core/schemas/ogc/csw/2.0.2/CSW-discovery.xsd"
OWS_EXCEPTION = SCHEMAS / "core/schemas/ogc/ows/1.0.0/owsExceptionReport.xsd"


@cache
def _schema(*paths):
    """One schema of several namespaces: a document importing each file (ISO records inside CSW answers)."""
    if len(paths) == 1:
        return etree.XMLSchema(etree.parse(str(paths[0])))
    imports = "".join(
        f'<xs:import namespace="{etree.parse(str(p)).getroot().get("targetNamespace")}" '
        f'schemaLocation="{p.as_uri()}"/>'
        for p in paths
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper, base_url=str(SCHEMAS / "wrapper.xsd")))


def _valid(schema, document):
    root = etree.fromstring(document)
    if not schema.validate(root):
        pytest.fail("\n".join(str(error) for error in schema.error_log))
    return root


def test_every_iso_record_is_valid_iso_19139(catalogue):  # noqa: F811
    fiches = iso.fiches(UserFactory(role=Role.AGD), listed_only=False)
    assert len(fiches) >= 8
    for fiche in fiches:
        _valid(_schema(GMD, GMX), iso.iso_document(fiche))
    # The schema does catch a record without its mandatory metadata contact.
    record = iso.iso_record(fiches[0])
    record.remove(record.find("{http://www.isotc211.org/2005/gmd}contact"))
    assert not _schema(GMD, GMX).validate(record)


def _csw(client, **params):
    response = client.get(reverse("ogc:csw"), {"service": "CSW", "version": "2.0.2", **params})
    return response.content


def test_csw_answers_are_valid_csw_2_0_2(client, catalogue):  # noqa: F811
    schema = _schema(CSW)
    _valid(schema, _csw(client, request="GetCapabilities"))
    for element_set in ("brief", "summary", "full"):
        root = _valid(
            schema, _csw(client, request="GetRecords", resultType="results", ElementSetName=element_set)
        )
        assert len(root.find("{http://www.opengis.net/cat/csw/2.0.2}SearchResults")) >= 5
    _valid(schema, _csw(client, request="GetRecords", resultType="hits"))
    identifier = iso.file_identifier("communes-metropole")
    _valid(schema, _csw(client, request="GetRecordById", id=identifier))
    _valid(schema, _csw(client, request="DescribeRecord"))
    _valid(schema, _csw(client, request="GetDomain", ParameterName="GetRecords.outputSchema"))


def test_csw_answers_in_iso_19139_are_valid_with_both_schemas(client, catalogue):  # noqa: F811
    schema = _schema(CSW, GMD, GMX)
    gmd = "http://www.isotc211.org/2005/gmd"
    root = _valid(
        schema,
        _csw(
            client, request="GetRecords", resultType="results", outputSchema=gmd, typeNames="gmd:MD_Metadata"
        ),
    )
    assert len(root.findall(f".//{{{gmd}}}MD_Metadata")) >= 5
    _valid(
        schema, _csw(client, request="GetRecordById", id=iso.file_identifier("zonage-plui"), outputSchema=gmd)
    )


def test_exception_reports_are_valid_ows(client):
    _valid(_schema(OWS_EXCEPTION), _csw(client, request="GetRecords", typeNames="inconnu:Type"))


def test_a_page_of_full_records_costs_the_same_queries_whatever_its_size(
    client,
    catalogue,  # noqa: F811
    django_assert_max_num_queries,
):
    params = {"request": "GetRecords", "resultType": "results", "ElementSetName": "full"}
    _csw(client, **params, maxRecords=1)  # extents computed and cached once
    with django_assert_max_num_queries(6) as one:
        _csw(client, **params, maxRecords=1)
    with django_assert_max_num_queries(len(one.captured_queries)) as every:
        _csw(client, **params, maxRecords=100)
    assert len(every.captured_queries) == len(one.captured_queries)
