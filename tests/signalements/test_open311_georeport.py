"""Our Open311 server read by ``georeport`` 0.3.1, a GeoReport v2 client nobody here wrote, over HTTP.

georeport reads services, service definitions and requests, in JSON and in XML (through
xmltodict). It has no discovery call and cannot file: discovery is read, and reports are filed,
with ``requests`` — the HTTP library georeport itself uses — form-encoded as the spec says, and
what was filed is then read back through georeport. The national address API is the only thing
replaced, by the loopback BAN of ``ban_server.py``; the portal runs for real (live server).
"""

import pytest
import requests
import xmltodict
from georeport import GeoReport

from signalements import services
from signalements.enums import Ouverture
from signalements.models import ApiKey, Signalement
from signalements.photos import clean_photo
from signalements.questions.models import Choix, Question, QuestionType

from .ban_server import serving
from .conftest import VIEUX_PORT, image_file
from .test_open311 import REQUEST_FIELDS as SPEC_REQUEST_FIELDS

# Each test runs both formats: a live-server test costs a database flush and a territory import.
FORMATS = ("json", "xml")
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = set(SPEC_REQUEST_FIELDS)


@pytest.fixture
def root(live_server, settings, marseille_setup, categories, open_category, aix):
    """The Open311 root as discovery announces it, with propreté and voirie open in Aix too."""
    settings.SITE_URL = live_server.url
    open_category(aix, categories["proprete"], Ouverture.TOUS)
    open_category(aix, categories["voirie"], Ouverture.TOUS)
    return f"{live_server.url}/open311/v2"


@pytest.fixture
def api_key():
    return ApiKey.objects.create(name="Client GeoReport de test")


@pytest.fixture
def questions(categories):
    """Two questions on « propreté »: a required single choice and an optional number."""
    volume = Question.objects.create(
        categorie=categories["proprete"],
        code="volume",
        libelle="Quel volume de déchets ?",
        type=QuestionType.CHOIX_UNIQUE,
        obligatoire=True,
        ordre=1,
    )
    Choix.objects.create(question=volume, valeur="sac", libelle="Quelques sacs", ordre=1)
    Choix.objects.create(question=volume, valeur="camion", libelle="Un camion", ordre=2)
    Question.objects.create(
        categorie=categories["proprete"],
        code="nombre_sacs",
        libelle="Combien de sacs ?",
        type=QuestionType.NOMBRE,
        ordre=2,
    )


def as_list(value):
    """xmltodict gives one element as a dict and several as a list."""
    return value if isinstance(value, list) else [value]


def test_discovery_leads_a_client_to_the_endpoint(root):
    discovery = requests.get(f"{root}/discovery.json", timeout=10).json()
    [endpoint] = discovery["endpoints"]
    assert endpoint["url"] == root
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    xml = xmltodict.parse(requests.get(f"{root}/discovery.xml", timeout=10).content)["discovery"]
    assert xml["endpoints"]["endpoint"]["url"] == root
    assert as_list(xml["endpoints"]["endpoint"]["formats"]["format"]) == ["text/xml", "application/json"]
    # The announced URL is all a client needs.
    assert GeoReport(endpoint["url"]).get_service_list()


def test_services_and_jurisdiction(root):
    for fmt in FORMATS:
        every = GeoReport(root, output_format=fmt).get_service_list()
        assert all(set(service) == SERVICE_FIELDS for service in every)
        assert {"proprete", "voirie", "eau"} <= {service["service_code"] for service in every}
        in_marseille = GeoReport(root, jurisdiction="13055", output_format=fmt).get_service_list()
        # Marseille opens propreté to everyone; eau is closed, signalisation for agents only.
        assert [s["service_code"] for s in as_list(in_marseille)] == ["proprete"]
        proprete = next(s for s in every if s["service_code"] == "proprete")
        assert proprete["metadata"] in (False, "false")
        assert proprete["type"] == "realtime"


def test_service_definition_lists_the_questions_as_attributes(root, questions):
    for fmt in FORMATS:
        check_definition(GeoReport(root, jurisdiction="13055", output_format=fmt), fmt)
    with pytest.raises(requests.HTTPError):  # the client sees our 404 as an HTTP error
        GeoReport(root).get_service_definition("inconnu")


def check_definition(client, fmt):
    proprete = next(s for s in as_list(client.get_service_list()) if s["service_code"] == "proprete")
    assert proprete["metadata"] in (True, "true")  # the spec: call the definition
    definition = client.get_service_definition("proprete")
    assert definition["service_code"] == "proprete"
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = as_list(attributes["attribute"])
    volume, nombre = [a for a in attributes if a["code"] in ("volume", "nombre_sacs")]
    assert volume["datatype"] == "singlevaluelist"
    assert volume["description"] == "Quel volume de déchets ?"
    assert str(volume["required"]).lower() == "true"
    assert str(volume["variable"]).lower() == "true"
    values = volume["values"] if fmt == "json" else as_list(volume["values"]["value"])
    assert [(str(v["key"]), v["name"]) for v in values] == [("sac", "Quelques sacs"), ("camion", "Un camion")]
    assert nombre["datatype"] == "number"
    assert str(nombre["required"]).lower() == "false"
    assert int(volume["order"]) < int(nombre["order"])


def test_a_report_filed_with_answers_and_an_address_is_read_back(root, api_key, questions, settings):
    refused = requests.post(
        f"{root}/requests.xml",
        data={"api_key": api_key.key, "service_code": "proprete", "description": "Sacs."},
        timeout=10,
    )
    assert refused.status_code == 400
    error = xmltodict.parse(refused.content)["errors"]["error"]
    assert error["code"] == "400"
    assert "lat et long" in error["description"]  # no ADRESSE_API_URL yet
    with serving() as ban:
        settings.ADRESSE_API_URL = ban.url
        response = requests.post(
            f"{root}/requests.json",
            data={
                "api_key": api_key.key,
                "service_code": "proprete",
                "address_string": "2 quai du port marseille",
                "description": "Sacs éventrés devant le numéro 2.",
                "attribute[volume]": "sac",
                "attribute[nombre_sacs]": "4",
            },
            headers={"Idempotency-Key": "georeport-test-1"},
            timeout=10,
        )
    assert response.status_code == 200, response.text
    [answer] = response.json()
    report = Signalement.objects.get(pk=int(answer["service_request_id"]))
    assert report.reponses == {"volume": "sac", "nombre_sacs": 4}
    for fmt in FORMATS:
        request = GeoReport(root, output_format=fmt).get_service_request(answer["service_request_id"])
        assert set(request) == REQUEST_FIELDS
        assert request["address"] == "2 Quai du Port 13002 Marseille"
        assert (float(request["lat"]), float(request["long"])) == (43.2964, 5.3698)
        assert request["status"] == "open"
        assert not request["media_url"]  # not published yet


def test_requests_carry_the_published_photo_which_the_client_can_download(root, categories):
    report = services.file_signalement(
        user=None,
        categorie=categories["proprete"],
        description="Encombrants au Vieux-Port.",
        photos=[clean_photo(image_file())],
        **VIEUX_PORT,
    )
    for fmt in FORMATS:
        assert not GeoReport(root, output_format=fmt).get_service_request(str(report.pk))["media_url"]
    photo_url = f"{root.removesuffix('/open311/v2')}/signalements/photos/{report.photos.get().pk}/"
    assert requests.get(photo_url, timeout=10).status_code == 404  # not published: hidden
    Signalement.objects.filter(pk=report.pk).update(description_validee=True)
    # The client's own date format (w3: 2010-01-01T00:00:00Z) and status filter.
    start = report.created_at.strftime("%Y-%m-%dT00:00:00Z")
    media_urls = set()
    for fmt in FORMATS:
        client = GeoReport(root, output_format=fmt)
        found = as_list(client.get_service_requests(start_date=start, status="open", service_code="proprete"))
        media_urls.add(next(r for r in found if r["service_request_id"] == str(report.pk))["media_url"])
    [media_url] = media_urls
    assert media_url == photo_url
    image = requests.get(media_url, timeout=10)
    assert image.status_code == 200
    assert image.headers["Content-Type"] == "image/jpeg"
    assert image.content[:3] == b"\xff\xd8\xff"
