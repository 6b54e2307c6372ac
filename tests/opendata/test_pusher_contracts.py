"""Every request the pushers send is valid for the portal's published API description.

- data.gouv.fr: the Swagger 2.0 description of API 1 that udata generates
  (contracts/datagouv-api1.json), checked with jsonschema as a request: fields the description
  marks read-only must not be sent and are not required.
- CKAN: the validation schema CKAN itself applies to each action (ckan/logic/schema.py), run by
  CKAN's code in .venv-ckan (ckan_side.py validate); `license_id` must be one of the portal's
  `license_list`, as the action API documents it.

The requests are the ones really sent while the cassettes are replayed, plus the mapping of every
licence, frequency and optional field, so a mapping the cassettes do not exercise is checked too.
"""

import json
import re
from copy import deepcopy
from datetime import datetime
from urllib.parse import urlsplit

import pytest
import requests
from jsonschema import Draft4Validator, FormatChecker

from gouvernance.enums import Frequence, Licence
from observatoire.opendata.pushers import ckan as ckan_mapping
from observatoire.opendata.pushers import datagouv as datagouv_mapping
from observatoire.opendata.pushers import push

from .ckan_venv import CONTRACTS, needs_ckan, run
from .test_pushers import ckan, datagouv, jeu, new_version, replay  # noqa: F401 - fixtures shared

API1 = json.loads((CONTRACTS / "datagouv-api1.json").read_text())
DATAGOUV_OPERATIONS = {"create_dataset", "update_dataset", "create_resource", "update_resource"}
CKAN_ACTIONS = {
    "package_show",
    "license_list",
    "package_create",
    "package_update",
    "resource_create",
    "resource_update",
}

formats = FormatChecker()


@formats.checks("date-time", raises=ValueError)
def _rfc3339(value):
    """RFC 3339 as Swagger's date-time means it: a time and an offset, not a bare date."""
    return isinstance(value, str) and datetime.fromisoformat(value.replace("Z", "+00:00")).tzinfo is not None


def _as_request(schema):
    """The description as a request body must follow it: read-only fields forbidden, not required."""
    if isinstance(schema, list):
        return [_as_request(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: _as_request(value) for key, value in schema.items()}
    properties = schema.get("properties", {})
    read_only = {name for name, field in properties.items() if field.get("readOnly")}
    for name in read_only:
        properties[name] = {"not": {}}
    if "required" in schema:
        schema["required"] = [name for name in schema["required"] if name not in read_only]
    return schema


def _definitions():
    definitions = _as_request(deepcopy(API1["definitions"]))
    # Erratum: flask-restx documents the `zones` and `granularity` Raw fields as objects, while
    # udata's SpatialCoverageForm (udata/core/spatial/forms.py) takes a list of zone ids and a
    # granularity id; data.gouv.fr's own front end sends them so.
    spatial = definitions["SpatialCoverage (read)"]["properties"]
    spatial["zones"] = {"type": "array", "items": {"type": "string"}}
    spatial["granularity"] = {"type": "string"}
    return definitions


DEFINITIONS = _definitions()


def _operation(method, url):
    path = urlsplit(url).path.removeprefix(API1["basePath"])
    for template, item in API1["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path) and method.lower() in item:
            return item[method.lower()]
    raise AssertionError(f"{method} {path} : aucune opération de l'API 1 à cette adresse")


def datagouv_errors(method, url, body):
    """(operationId, the messages of every way the body breaks the operation's description)."""
    operation = _operation(method, url)
    schema = next(p["schema"] for p in operation["parameters"] if p["in"] == "body")
    validator = Draft4Validator({**_as_request(schema), "definitions": DEFINITIONS}, format_checker=formats)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(body)]
    return operation["operationId"], errors


@pytest.fixture
def sent(monkeypatch):
    """(method, URL, JSON body) of every request the pushers really send (the cassettes' files hold
    the recorded ones, which may say less)."""
    requests_sent, send = [], requests.Session.send

    def recording_send(session, request, **kwargs):
        requests_sent.append((request.method, request.url, json.loads(request.body or "null")))
        return send(session, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", recording_send)
    return requests_sent


def _ckan_requests(sent):
    return [{"action": url.rsplit("/", 1)[-1], "data": body} for _, url, body in sent]


def _registered_licences(cassette):
    """The licence ids of the cassette's `license_list` answer."""
    for request, response in zip(cassette.requests, cassette.responses, strict=True):
        if request.uri.endswith("/license_list"):
            return {entry["id"] for entry in json.loads(response["body"]["string"])["result"]}
    raise AssertionError("license_list n'a pas été demandé")


def test_datagouv_requests_follow_the_api1_description(jeu, datagouv, settings, sent):  # noqa: F811
    settings.OPENDATA_DATAGOUV_ZONES = ["fr:epci:200054807"]
    with replay.use_cassette("datagouv_creation.yaml"):
        assert push(jeu, "datagouv") == "diffusé"
    new_version(jeu)
    with replay.use_cassette("datagouv_mise_a_jour.yaml"):
        assert push(jeu, "datagouv") == "diffusé"
    checked = [datagouv_errors(*request) for request in sent]
    assert [errors for _, errors in checked if errors] == []
    assert {operation for operation, _ in checked} == DATAGOUV_OPERATIONS


@pytest.mark.parametrize("licence", list(Licence))
@pytest.mark.parametrize("frequence", list(Frequence))
def test_every_licence_and_frequency_maps_to_api1_values(jeu, datagouv, licence, frequence):  # noqa: F811
    jeu.licence, jeu.frequence, jeu.fin = licence, frequence, None
    body = datagouv_mapping.dataset(jeu, jeu.latest)
    assert datagouv_errors("POST", "https://demo.data.gouv.fr/api/1/datasets/", body)[1] == []


def test_every_file_maps_to_an_api1_resource(jeu):  # noqa: F811
    url = "https://demo.data.gouv.fr/api/1/datasets/6650f1c2a3b4c5d6e7f80912/resources/"
    for ressource in jeu.latest.ressources.all():
        assert datagouv_errors("POST", url, datagouv_mapping.resource(jeu, ressource))[1] == []


def test_the_api1_description_refuses_what_data_gouv_refuses(jeu):  # noqa: F811
    body = {
        **datagouv_mapping.dataset(jeu, jeu.latest),
        "frequency": "update_cont",
        "organization": "5bbb6d6c",
    }
    del body["title"]
    _, errors = datagouv_errors("POST", "https://demo.data.gouv.fr/api/1/datasets/", body)
    assert {error.split(":")[0] for error in errors} == {"frequency", "organization", ""}  # "": title missing
    resource = {**datagouv_mapping.resource(jeu, jeu.latest.ressources.first()), "id": "x", "filesize": "12"}
    _, errors = datagouv_errors("PUT", "https://demo.data.gouv.fr/api/1/datasets/d/resources/r/", resource)
    assert sorted(errors) == [
        "filesize: '12' is not of type 'integer'",
        "id: 'x' should not be valid under {}",
    ]


@needs_ckan
def test_ckan_requests_pass_ckans_own_validation(jeu, ckan, sent):  # noqa: F811
    with replay.use_cassette("ckan_creation.yaml") as creation:
        assert push(jeu, "ckan") == "diffusé"
    new_version(jeu)
    with replay.use_cassette("ckan_mise_a_jour.yaml"):
        assert push(jeu, "ckan") == "diffusé"
    actions = _ckan_requests(sent)
    assert [result for result in run("validate", payload=actions) if result["errors"]] == []
    assert {action["action"] for action in actions} == CKAN_ACTIONS
    registered = _registered_licences(creation)
    assert all(a["data"]["license_id"] in registered for a in actions if "license_id" in a["data"])


@needs_ckan
def test_every_ckan_mapping_passes_ckans_own_validation(jeu, settings):  # noqa: F811
    publication, actions, period = jeu.latest, [], (jeu.debut, jeu.fin)
    for licence in Licence:
        for optional in (True, False):
            jeu.licence, jeu.frequence = licence, Frequence.IRREG
            jeu.contact = "opendata@ampmetropole.fr" if optional else ""
            jeu.debut, jeu.fin = period if optional else (None, None)
            settings.OPENDATA_CKAN_ORGANIZATION = "metropole-aix-marseille-provence" if optional else ""
            license_id = ckan_mapping.licence_id(licence, [{"id": "odc-odbl"}, {"id": "other-open"}])
            actions.append(
                {"action": "package_create", "data": ckan_mapping.package(jeu, publication, license_id)}
            )
    for ressource in publication.ressources.all():
        fields = ckan_mapping.resource(jeu, publication, ressource)
        actions.append({"action": "resource_create", "data": {**fields, "package_id": "communes-metropole"}})
    assert [result for result in run("validate", payload=actions) if result["errors"]] == []


@needs_ckan
def test_ckans_validation_refuses_what_ckan_refuses(jeu):  # noqa: F811
    package = ckan_mapping.package(jeu, jeu.latest, "other-open")
    bad = [
        {"action": "package_create", "data": {**package, "name": "Communes Métropole"}},
        {"action": "package_create", "data": {**package, "extras": [{"key": "title", "value": "x"}]}},
        {"action": "resource_create", "data": {"url": "https://x/y.csv", "size": "12 Mo"}},
        {"action": "resource_update", "data": {"url": "https://x/y.csv"}},
    ]
    errors = [result["errors"] for result in run("validate", payload=bad)]
    assert [sorted(e) for e in errors] == [["name"], ["extras"], ["package_id", "size"], ["id"]]
