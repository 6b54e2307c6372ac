"""Open311 GeoReport v2: shapes of both formats, filters, filing through our rules, privacy."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from signalements import services
from signalements.enums import Ouverture, RejectionReason, Status
from signalements.models import ApiKey, CategorieCommune, Historique, Signalement

from .conftest import AIX_CENTRE, EN_MER, VIEUX_PORT

BASE = "/open311/v2"
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
REPORTER_EMAIL = "habitante@exemple.fr"
REPORTER_IP = "203.0.113.7"


def xml_of(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own server's output


def json_of(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def assert_error(response, status, fmt="json"):
    assert response.status_code == status
    if fmt == "xml":
        root = xml_of(response)
        assert root.tag == "errors"
        errors = [{child.tag: child.text for child in error} for error in root.findall("error")]
        assert [e["code"] for e in errors] == [str(status)]
    else:
        errors = json_of(response)
        assert isinstance(errors, list)
        assert [e["code"] for e in errors] == [status]
    assert errors[0]["description"]
    return errors[0]["description"]


def file_report(categories, categorie="proprete", point=VIEUX_PORT, **changes):
    report = services.file_signalement(
        user=AnonymousUser(),
        categorie=categories[categorie],
        description="Dépôt d'encombrants devant chez mon voisin M. Martin.",
        email=REPORTER_EMAIL,
        ip=REPORTER_IP,
        **point,
    )
    if changes:
        Signalement.objects.filter(pk=report.pk).update(**changes)
        report.refresh_from_db()
    return report


@pytest.fixture
def api_key():
    return ApiKey.objects.create(name="Application « Dans ma rue » de test")


def post(client, key, fmt="json", **data):
    """POST a report as an Open311 client; ``key`` is an ApiKey, a raw string or None."""
    payload = {
        "api_key": getattr(key, "key", key) or "",
        "service_code": "proprete",
        "lat": str(VIEUX_PORT["lat"]),
        "long": str(VIEUX_PORT["lon"]),
        "description": "Sacs poubelle éventrés sur le trottoir.",
        "email": REPORTER_EMAIL,
        "first_name": "Camille",
        "last_name": "Martin",
        "phone": "0600000000",
        "media_url": "https://exemple.fr/photo.jpg",
        **data,
    }
    return client.post(f"{BASE}/requests.{fmt}", payload)


# --- Discovery --------------------------------------------------------------------------------


def test_discovery_json(client):
    response = client.get(f"{BASE}/discovery.json")
    assert response.status_code == 200
    body = json_of(response)
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert ISO_WITH_OFFSET.match(endpoint["changeset"])


def test_discovery_xml(client):
    root = xml_of(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("contact") and root.findtext("key_service") and root.findtext("changeset")
    endpoints = root.findall("endpoints/endpoint")
    assert len(endpoints) == 1
    assert endpoints[0].findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoints[0].findtext("type") == "production"
    assert [f.text for f in endpoints[0].findall("formats/format")] == ["text/xml", "application/json"]


def test_unknown_format_suffix_is_a_404_in_the_error_shape(client, categories):
    for url in ("discovery.csv", "services.html", "services/proprete.yaml", "requests.txt", "requests/1.php"):
        assert_error(client.get(f"{BASE}/{url}"), 404)


# --- Services ---------------------------------------------------------------------------------


def test_services_json_lists_every_active_top_level_category(client, categories):
    categories["mobilier"].is_active = False
    categories["mobilier"].save()
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    body = json_of(response)
    expected = {code for code, c in categories.items() if c.is_active}
    assert {s["service_code"] for s in body} == expected
    proprete = next(s for s in body if s["service_code"] == "proprete")
    assert proprete == {
        "service_code": "proprete",
        "service_name": "Propreté",
        "description": "Déchets, dépôts, salissures",
        "metadata": False,
        "type": "realtime",
        "keywords": proprete["keywords"],
        "group": "",
    }
    assert "Dépôt sauvage" in proprete["keywords"]
    eclairage = next(s for s in body if s["service_code"] == "eclairage")
    assert "112" in eclairage["description"]  # the danger notice reaches the client


def test_services_xml(client, categories):
    root = xml_of(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services_ = root.findall("service")
    assert {s.findtext("service_code") for s in services_} == set(categories)
    for service in services_:
        assert [child.tag for child in service] == [
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        ]
        assert service.findtext("metadata") == "false"
        assert service.findtext("type") == "realtime"


def test_jurisdiction_lists_only_categories_open_to_citizens(client, marseille_setup):
    body = json_of(client.get(f"{BASE}/services.json", {"jurisdiction_id": "13055"}))
    assert [s["service_code"] for s in body] == ["proprete"]
    root = xml_of(client.get(f"{BASE}/services.xml", {"jurisdiction_id": "13055"}))
    assert [s.findtext("service_code") for s in root.findall("service")] == ["proprete"]


def test_unknown_jurisdiction_is_a_404_in_both_formats(client, categories):
    for fmt in ("json", "xml"):
        for resource in ("services", "requests", "services/proprete"):
            response = client.get(f"{BASE}/{resource}.{fmt}", {"jurisdiction_id": "99999"})
            assert "99999" in assert_error(response, 404, fmt)


def test_service_definition(client, marseille_setup):
    body = json_of(client.get(f"{BASE}/services/proprete.json"))
    assert body == {"service_code": "proprete", "attributes": []}
    root = xml_of(client.get(f"{BASE}/services/proprete.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "proprete"
    assert root.find("attributes") is not None and len(root.find("attributes")) == 0
    assert_error(client.get(f"{BASE}/services/inconnu.json"), 404)
    assert_error(client.get(f"{BASE}/services/inconnu.xml"), 404, "xml")
    assert_error(client.get(f"{BASE}/services/depot-sauvage.json"), 404)  # a sub-category is no service
    # Closed to citizens in Marseille: not a service of that jurisdiction.
    assert_error(client.get(f"{BASE}/services/eau.json", {"jurisdiction_id": "13055"}), 404)


# --- Filing -----------------------------------------------------------------------------------


def test_post_files_a_report_that_reads_back_without_personal_data(client, marseille_setup, api_key):
    response = post(client, api_key)
    assert response.status_code == 200
    [created] = json_of(response)
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    assert created["account_id"] is None
    report = Signalement.objects.get(pk=int(created["service_request_id"]))
    assert created["service_notice"].startswith(f"Signalement {report.reference} enregistré")
    assert report.reporter is None and not report.filed_by_agent
    assert report.reporter_email == REPORTER_EMAIL  # kept for the tracking e-mails only
    assert report.commune.insee == "13055" and report.status == Status.NOUVEAU

    for fmt in ("json", "xml"):
        detail = client.get(f"{BASE}/requests/{report.pk}.{fmt}")
        assert detail.status_code == 200
        raw = detail.content.decode()
        for secret in (REPORTER_EMAIL, REPORTER_IP, report.token, "Camille", "0600000000", "photo.jpg"):
            assert secret not in raw
    [item] = json_of(client.get(f"{BASE}/requests/{report.pk}.json"))
    assert list(item) == REQUEST_FIELDS
    assert item["service_request_id"] == str(report.pk)
    assert item["status"] == "open"
    assert item["status_notes"] == "Signalement déposé."
    assert item["service_code"] == "proprete" and item["service_name"] == "Propreté"
    assert item["description"] == ""  # not triaged yet
    assert item["media_url"] == ""
    assert abs(item["lat"] - VIEUX_PORT["lat"]) < 1e-5
    assert abs(item["long"] - VIEUX_PORT["lon"]) < 1e-5
    assert ISO_WITH_OFFSET.match(item["requested_datetime"])
    assert ISO_WITH_OFFSET.match(item["updated_datetime"])
    requested = datetime.fromisoformat(item["requested_datetime"])
    assert abs(requested - report.created_at) < timedelta(seconds=1)
    assert requested.utcoffset() == timezone.localtime(report.created_at).utcoffset()


def test_post_in_xml(client, marseille_setup, api_key):
    root = xml_of(post(client, api_key, fmt="xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == ["service_request_id", "service_notice", "account_id"]
    assert Signalement.objects.filter(pk=int(request.findtext("service_request_id"))).exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"service_code": "eau"}, "n'est pas ouverte"),  # closed in Marseille
        ({"service_code": "signalisation"}, "n'est pas ouverte"),  # agents only
        ({"lat": str(EN_MER["lat"]), "long": str(EN_MER["lon"])}, "en dehors du territoire"),
        (
            {"lat": "", "long": "", "address_string": "Quai du Port, Marseille"},
            "lat et long sont obligatoires",
        ),
        ({"lat": "nord", "long": "5.37"}, "degrés décimaux"),
        ({"service_code": ""}, "service_code est obligatoire"),
        ({"service_code": "inconnu"}, "inconnu"),
        ({"description": "<b>Sale</b>"}, "balises HTML"),
        ({"description": "   "}, "Décrivez le problème"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"jurisdiction_id": "13001"}, "n'est pas dans la commune"),  # the point is in Marseille
    ],
)
def test_post_refusals_are_400_in_french(client, marseille_setup, api_key, data, expected):
    for fmt in ("json", "xml"):
        description = assert_error(post(client, api_key, fmt=fmt, **data), 400, fmt)
        assert expected in description
    assert not Signalement.objects.exists()


def test_post_needs_a_valid_active_api_key(client, marseille_setup, api_key):
    assert_error(post(client, None), 403)
    assert_error(post(client, "pas-une-cle"), 403)
    assert_error(post(client, "pas-une-cle", fmt="xml"), 403, "xml")
    api_key.is_active = False
    api_key.save()
    assert_error(post(client, api_key), 403)
    assert not Signalement.objects.exists()


def test_post_is_limited_by_its_key_not_by_ip(client, marseille_setup, api_key, settings):
    settings.SIGNALEMENT_ANONYMOUS_LIMIT = 1
    assert [post(client, api_key).status_code for _ in range(3)] == [200, 200, 200]


def test_post_unknown_jurisdiction_is_404(client, marseille_setup, api_key):
    assert_error(post(client, api_key, jurisdiction_id="99999"), 404)


def test_post_ignores_the_session_user_and_needs_no_csrf_token(marseille_setup, api_key, agent_marseille):
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent_marseille)
    # An agent may file "signalisation" in Marseille, but an Open311 client files as a citizen.
    assert "n'est pas ouverte" in assert_error(post(client, api_key, service_code="signalisation"), 400)
    assert post(client, api_key).status_code == 200
    report = Signalement.objects.get()
    assert report.reporter is None and not report.filed_by_agent


# --- Reading requests -------------------------------------------------------------------------


@pytest.fixture
def reports(marseille_setup, categories, open_category, aix):
    now = timezone.now()
    open_category(aix, categories["voirie"], Ouverture.TOUS)
    return {
        "recent": file_report(categories),
        "week_old": file_report(categories, created_at=now - timedelta(days=7)),
        "resolved": file_report(categories, created_at=now - timedelta(days=20), status=Status.RESOLU),
        "old": file_report(categories, created_at=now - timedelta(days=120)),
        "aix": file_report(categories, "voirie", AIX_CENTRE, created_at=now - timedelta(days=2)),
    }


def ids(response):
    return {int(item["service_request_id"]) for item in json_of(response)}


def pks(reports, *names):
    return {reports[name].pk for name in names}


def test_default_window_is_the_last_90_days(client, reports):
    assert ids(client.get(f"{BASE}/requests.json")) == pks(reports, "recent", "week_old", "resolved", "aix")


def test_filters(client, reports):
    get = lambda **params: ids(client.get(f"{BASE}/requests.json", params))  # noqa: E731
    assert get(service_code="voirie") == pks(reports, "aix")
    assert get(service_code="voirie,proprete") == pks(reports, "recent", "week_old", "resolved", "aix")
    assert get(status="closed") == pks(reports, "resolved")
    assert get(status="open") == pks(reports, "recent", "week_old", "aix")
    assert get(status="open,closed") == pks(reports, "recent", "week_old", "resolved", "aix")
    assert get(jurisdiction_id="13001") == pks(reports, "aix")
    now = timezone.now()
    assert get(
        start_date=(now - timedelta(days=10)).isoformat(), end_date=(now - timedelta(days=1)).isoformat()
    ) == pks(reports, "week_old", "aix")
    # A start alone opens a 90-day window from that date.
    assert get(start_date=(now - timedelta(days=130)).isoformat()) == pks(reports, "old")
    assert get(end_date=(now - timedelta(days=100)).isoformat()) == pks(reports, "old")
    # A list of ids overrides the other arguments, the default window included.
    assert get(service_request_id=f"{reports['old'].pk},{reports['aix'].pk}", status="closed") == pks(
        reports, "old", "aix"
    )


def test_dates_accept_utc_and_an_unencoded_offset(client, reports):
    since = timezone.localtime(timezone.now() - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%S%z")
    since = since[:-2] + ":" + since[-2:]
    # Sent raw, the "+" of the offset reaches the server as a space.
    response = client.get(f"{BASE}/requests.json?start_date={since}")
    assert ids(response) == pks(reports, "recent", "week_old", "aix")
    utc = (timezone.now() - timedelta(days=10)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(client.get(f"{BASE}/requests.json", {"start_date": utc})) == pks(
        reports, "recent", "week_old", "aix"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"start_date": "hier"},
        {"start_date": "2026-01-01T00:00:00+01:00", "end_date": "2026-06-01T00:00:00+02:00"},  # > 90 days
        {"start_date": "2026-06-01T00:00:00+02:00", "end_date": "2026-05-01T00:00:00+02:00"},
        {"service_request_id": "12,abc"},
        {"page": "0"},
        {"page_size": "-3"},
    ],
)
def test_bad_search_arguments_are_400(client, reports, params):
    assert_error(client.get(f"{BASE}/requests.json", params), 400)
    assert_error(client.get(f"{BASE}/requests.xml", params), 400, "xml")


def test_pagination(client, reports):
    url = f"{BASE}/requests.json"
    first = json_of(client.get(url, {"page_size": 3}))
    second = json_of(client.get(url, {"page_size": 3, "page": 2}))
    assert len(first) == 3 and len(second) == 1
    assert {i["service_request_id"] for i in first}.isdisjoint(i["service_request_id"] for i in second)
    # Newest first.
    assert first[0]["service_request_id"] == str(reports["recent"].pk)
    assert json_of(client.get(url, {"page": 5})) == []
    assert len(json_of(client.get(url, {"page_size": 100000}))) == 4  # capped at 500, not refused


def test_requests_xml(client, reports):
    response = client.get(f"{BASE}/requests.xml")
    root = xml_of(response)
    assert root.tag == "service_requests"
    items = root.findall("request")
    assert len(items) == 4
    for item in items:
        assert [child.tag for child in item] == REQUEST_FIELDS
        assert item.findtext("status") in ("open", "closed")
        assert ISO_WITH_OFFSET.match(item.findtext("requested_datetime"))
    aix = next(i for i in items if i.findtext("service_request_id") == str(reports["aix"].pk))
    assert abs(float(aix.findtext("lat")) - AIX_CENTRE["lat"]) < 1e-5
    assert abs(float(aix.findtext("long")) - AIX_CENTRE["lon"]) < 1e-5
    assert REPORTER_EMAIL.encode() not in response.content


def test_description_is_public_only_once_triaged(client, reports):
    report = reports["recent"]
    url = f"{BASE}/requests/{report.pk}.json"
    assert json_of(client.get(url))[0]["description"] == ""
    Signalement.objects.filter(pk=report.pk).update(description_validee=True)
    assert json_of(client.get(url))[0]["description"].startswith("Dépôt d'encombrants")
    root = xml_of(client.get(f"{BASE}/requests/{report.pk}.xml"))
    assert root.find("request").findtext("description").startswith("Dépôt d'encombrants")


def test_status_notes_agency_and_expected_date(client, reports, marseille, service_marseille):
    CategorieCommune.objects.filter(commune=marseille, categorie__code="proprete").update(delai_cible_jours=3)
    recent, week_old, resolved = reports["recent"], reports["week_old"], reports["resolved"]
    Signalement.objects.filter(pk=recent.pk).update(
        status=Status.REJETE, rejection_reason=RejectionReason.HORS_COMPETENCE
    )
    Historique.objects.create(
        signalement=recent, from_status=Status.NOUVEAU, to_status=Status.REJETE, note="Voie privée."
    )
    Signalement.objects.filter(pk=week_old.pk).update(status=Status.DOUBLON, parent=resolved)
    Signalement.objects.filter(pk=resolved.pk).update(service=service_marseille)
    Historique.objects.create(
        signalement=resolved, to_status=Status.RESOLU, note="Trottoir nettoyé.", is_public=True
    )
    Historique.objects.create(
        signalement=resolved, to_status=Status.RESOLU, note="Agent : rue sale.", is_public=False
    )
    items = {i["service_request_id"]: i for i in json_of(client.get(f"{BASE}/requests.json"))}

    rejected = items[str(recent.pk)]
    assert rejected["status"] == "closed"
    assert rejected["status_notes"] == "Hors compétence de la collectivité. Voie privée."
    duplicate = items[str(week_old.pk)]
    assert duplicate["status"] == "closed"
    assert duplicate["status_notes"] == f"Doublon du signalement {resolved.pk}."
    done = items[str(resolved.pk)]
    assert done["status_notes"] == "Trottoir nettoyé."  # the private note stays private
    assert done["agency_responsible"] == "Propreté Marseille"
    expected = datetime.fromisoformat(done["expected_datetime"])
    assert expected == datetime.fromisoformat(done["requested_datetime"]) + timedelta(days=3)
    assert done["service_notice"] == "Délai de traitement visé : 3 jours."
    aix = items[str(reports["aix"].pk)]
    assert aix["expected_datetime"] is None and aix["agency_responsible"] == ""
    assert aix["status_notes"] == "Signalement déposé."
    xml_aix = next(
        r
        for r in xml_of(client.get(f"{BASE}/requests.xml")).findall("request")
        if r.findtext("service_request_id") == str(reports["aix"].pk)
    )
    assert xml_aix.find("expected_datetime") is not None and not xml_aix.findtext("expected_datetime")


def test_spam_is_left_out(client, reports):
    spam = reports["recent"]
    Signalement.objects.filter(pk=spam.pk).update(status=Status.REJETE, rejection_reason=RejectionReason.SPAM)
    assert spam.pk not in ids(client.get(f"{BASE}/requests.json"))
    assert_error(client.get(f"{BASE}/requests/{spam.pk}.json"), 404)
    assert_error(client.get(f"{BASE}/tokens/{spam.token}.json"), 404)


def test_single_request_errors(client, reports):
    assert_error(client.get(f"{BASE}/requests/999999999.json"), 404)
    assert_error(client.get(f"{BASE}/requests/abc.xml"), 404, "xml")
    assert_error(client.get(f"{BASE}/requests/99999999999999999999999.json"), 404)
    # Asked in another jurisdiction, the report is not there.
    assert_error(
        client.get(f"{BASE}/requests/{reports['recent'].pk}.json", {"jurisdiction_id": "13001"}), 404
    )


def test_token_lookup(client, reports):
    report = reports["recent"]
    assert json_of(client.get(f"{BASE}/tokens/{report.token}.json")) == [
        {"service_request_id": str(report.pk), "token": report.token}
    ]
    root = xml_of(client.get(f"{BASE}/tokens/{report.token}.xml"))
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == str(report.pk)
    assert_error(client.get(f"{BASE}/tokens/pas-un-jeton.json"), 404)


def test_get_only_where_the_spec_says_so(client, categories):
    response = client.post(f"{BASE}/services.json")
    assert_error(response, 405)
    assert response["Allow"] == "GET, HEAD"


def test_list_query_count_does_not_grow_with_rows(client, reports, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        client.get(f"{BASE}/requests.json")
    with django_assert_max_num_queries(2):
        client.get(f"{BASE}/requests.xml", {"jurisdiction_id": "13055"})
