"""Open311 attributes: metadata in services, the service definition read by the georeport client
(a GeoReport v2 client nobody here wrote, in JSON and XML), attribute[…] filed and checked."""

import pytest
import requests
from django.http import QueryDict
from georeport import GeoReport

from signalements.enums import Ouverture
from signalements.models import ApiKey, Signalement
from signalements.questions.open311 import answers_from

from .conftest import open311_filing
from .questions_support import file_with_answers, questions_fixture  # noqa: F401
from .test_open311 import assert_error, json_of

BASE = "/open311/v2"


@pytest.fixture
def api_key(db):
    return ApiKey.objects.create(name="Application de test")


@pytest.fixture
def setup(marseille_setup, categories, open_category, questions):
    open_category(marseille_setup, categories["eclairage"], Ouverture.TOUS)
    open_category(marseille_setup, categories["voirie"], Ouverture.TOUS)
    return categories


def test_services_say_metadata_when_a_category_asks_questions(client, setup):
    by_code = {s["service_code"]: s for s in json_of(client.get(f"{BASE}/services.json"))}
    assert by_code["eclairage"]["metadata"] is True
    assert by_code["voirie"]["metadata"] is True
    assert by_code["mobilier"]["metadata"] is False


def test_service_definition_read_by_georeport_client(live_server, setup):
    client = GeoReport(live_server.url + BASE)
    services_list = {s["service_code"]: s for s in client.get_service_list()}
    assert services_list["eclairage"]["metadata"] is True
    definition = client.get_service_definition("eclairage")
    assert definition["service_code"] == "eclairage"
    danger, points, constate = definition["attributes"]
    assert danger == {
        "variable": True,
        "code": "danger",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": "Une des clés (key) de values.",
        "order": 1,
        "description": danger["description"],
        "values": [
            {"key": "non", "name": "Non"},
            {"key": "oui", "name": "Oui : câble à nu, candélabre tombé ou armoire ouverte"},
        ],
    }
    # The blocking answer is said in the description: a client can warn before sending.
    assert danger["description"].startswith("Y a-t-il un danger immédiat ?")
    assert "rien n'est déposé" in danger["description"] and "appelez le 112" in danger["description"]
    assert (points["code"], points["datatype"], points["required"], points["order"]) == (
        "points-eteints",
        "number",
        False,
        2,
    )
    assert "values" not in points
    assert (constate["datatype"], constate["order"]) == ("datetime", 3)


def test_service_definition_in_xml_read_by_georeport_client(live_server, setup):
    client = GeoReport(live_server.url + BASE, output_format="xml")
    definition = client.get_service_definition("voirie")
    taille, genes = definition["attributes"]["attribute"]
    assert taille["code"] == "taille" and taille["required"] == "true" and taille["order"] == "1"
    assert taille["datatype"] == "singlevaluelist"
    assert [v["key"] for v in taille["values"]["value"]] == ["petit", "moyen", "grand"]
    assert genes["datatype"] == "multivaluelist"
    assert genes["values"]["value"][3] == {"key": "pmr", "name": "Personnes à mobilité réduite"}
    services_xml = {s["service_code"]: s for s in client.get_service_list()}
    assert services_xml["voirie"]["metadata"] == "true"
    assert services_xml["mobilier"]["metadata"] == "false"


def test_category_without_question_has_no_attribute(client, setup):
    assert json_of(client.get(f"{BASE}/services/mobilier.json"))["attributes"] == []


def test_post_with_attributes_as_the_spec_writes_them(live_server, setup, api_key):
    # Sent by requests, form-encoded, the multivaluelist as repeated attribute[code][]=key.
    fields = open311_filing(api_key, service_code="voirie", description="Trou dans la chaussée.")
    body = [*fields.items(), ("attribute[taille]", "grand")]
    body += [("attribute[genes][]", "pietons"), ("attribute[genes][]", "velos")]
    response = requests.post(live_server.url + f"{BASE}/requests.json", data=body, timeout=30)
    assert response.status_code == 200, response.text
    report = Signalement.objects.get(pk=response.json()[0]["service_request_id"])
    assert report.reponses == {"taille": "grand", "genes": ["pietons", "velos"]}


def test_post_repeated_attribute_and_number(client, setup, api_key):
    data = open311_filing(api_key, service_code="eclairage")
    data.update({"attribute[danger]": "non", "attribute[points-eteints]": "2", "attribute[constate-le]": ""})
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 200
    assert Signalement.objects.get().reponses == {"danger": "non", "points-eteints": 2}
    data = open311_filing(api_key, service_code="voirie", description="Autre trou.")
    data.update({"attribute[taille]": "petit", "attribute[genes]": ["pmr", "pietons"]})
    client.post(f"{BASE}/requests.json", data)
    assert Signalement.objects.latest("pk").reponses["genes"] == ["pietons", "pmr"]


def test_errors_one_per_attribute_in_french(client, setup, api_key):
    data = open311_filing(api_key, service_code="voirie")
    data.update({"attribute[genes][]": ["bus"], "attribute[couleur]": "rouge"})
    response = client.post(f"{BASE}/requests.json", data)
    assert response.status_code == 400
    errors = json_of(response)
    assert {e["code"] for e in errors} == {400}
    descriptions = [e["description"] for e in errors]
    assert "attribute[couleur] : Question inconnue pour « Voirie et trottoirs » : couleur." in descriptions
    assert any(d.startswith("attribute[taille] : Répondez à la question") for d in descriptions)
    assert any(d.startswith("attribute[genes] :") and "bus" in d for d in descriptions)
    assert not Signalement.objects.exists()


def test_errors_in_xml(client, setup, api_key):
    data = open311_filing(api_key, service_code="voirie")
    description = assert_error(client.post(f"{BASE}/requests.xml", data), 400, fmt="xml")
    assert description.startswith("attribute[taille] : Répondez")


def test_blocking_answer_files_nothing(client, setup, api_key):
    data = open311_filing(api_key, service_code="eclairage", **{"attribute[danger]": "oui"})
    description = assert_error(client.post(f"{BASE}/requests.json", data), 400)
    assert "appelez le 112" in description
    assert not Signalement.objects.exists()


def test_reserved_attribute_is_left_to_its_feature(client, setup, api_key):
    # attribute[equipement] names an asset (slice « actifs »): never an unknown question here.
    assert answers_from(QueryDict("attribute[equipement]=X&attribute[taille]=petit")) == {"taille": "petit"}
    data = open311_filing(api_key, service_code="proprete", **{"attribute[equipement]": "X"})
    response = client.post(f"{BASE}/requests.json", data)
    assert "Question inconnue" not in response.content.decode()


def test_attribute_forms_read_back():
    params = QueryDict(
        "attribute[a]=1&attribute[b][]=x&attribute[b][]=y&attribute[c]=p&attribute[c]=q&autre=z"
    )
    assert answers_from(params) == {"a": "1", "b": ["x", "y"], "c": ["p", "q"]}
    assert answers_from(QueryDict("attribute[b][]=x")) == {"b": ["x"]}


def test_answers_are_part_of_the_idempotency_fingerprint(client, setup, api_key):
    data = open311_filing(api_key, service_code="voirie", **{"attribute[taille]": "petit"})
    headers = {"Idempotency-Key": "cle-questions-1"}
    first = client.post(f"{BASE}/requests.json", data, headers=headers)
    again = client.post(f"{BASE}/requests.json", data, headers=headers)
    assert json_of(first) == json_of(again)
    data["attribute[taille]"] = "grand"
    assert client.post(f"{BASE}/requests.json", data, headers=headers).status_code == 422
    assert Signalement.objects.count() == 1


def test_non_public_answers_never_in_requests_output(client, setup, api_key):
    report = file_with_answers(
        setup["proprete"], {"volume": "coffre", "detail": "Derrière le conteneur vert de M. Dupont"}
    )
    for fmt in ("json", "xml"):
        for url in (f"{BASE}/requests.{fmt}", f"{BASE}/requests/{report.pk}.{fmt}"):
            content = client.get(url).content.decode()
            assert str(report.pk) in content
            assert "Dupont" not in content and "conteneur vert" not in content
