"""Odd parameter values are refused with a 400 (or clamped), never a 500: NUL bytes, time-zone
offsets PostgreSQL refuses, dates at the ends of the calendar, integers past a bigint."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.test import Client

from observatoire.core.params import BIGINT_MAX, EARLIEST, LATEST, aware_datetime, bounded_int
from tests.indicateurs.valeurs import indicateurs  # noqa: F401 (fixture)


@pytest.fixture
def client():
    # A 500 must show up as a status, not as an exception re-raised into the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/signalements/?commune=13055%00",
        "/api/v1/signalements/?categorie=a%00b",
        "/api/v1/territoire/recherche/?q=%00",
        "/api/v1/indicateurs/?territoire=%00",
        "/api/v1/signalements/?created_after=2026-01-01&x%00=1",
    ],
)
def test_nul_byte_in_an_api_parameter_is_a_json_400(client, territoire, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "caractère nul" in json.loads(response.content)["detail"]


@pytest.mark.parametrize("url", ["/opendata/?q=%00", "/signalements/carte/?q=%00&status=tous"])
def test_nul_byte_in_a_page_parameter_is_a_french_400_page(client, territoire, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Requête invalide" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/open311/v2/tokens/a%00b.json", "application/json"),
        ("/open311/v2/requests/1%00.xml", "text/xml"),
        ("/signalements/suivi/a%00b/", "text/html"),
    ],
)
def test_nul_byte_in_the_path_is_a_400(client, territoire, url, kind):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].split(";")[0] in (kind, "application/xml")


def test_nul_byte_in_a_posted_form_is_a_400(client, territoire):
    response = client.post("/open311/v2/requests.json", {"api_key": "x\x00", "service_code": "proprete"})
    assert response.status_code == 400


@pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59", "+15:59:59.5"])
def test_api_date_filter_with_an_offset_postgresql_refuses_is_a_400(client, territoire, offset):
    response = client.get("/api/v1/signalements/", {"created_after": f"2026-01-01T00:00:00{offset}"})
    assert response.status_code == 400
    assert "created_after" in json.loads(response.content)["errors"]


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31",
        "9999-12-31T23:59:59",
        "0001-01-01T00:00:00+01:00",
        "0001-01-01",
        "2026-01-01T00:00:00+15:59",
    ],
)
def test_api_date_filter_at_the_ends_of_the_calendar_answers(client, territoire, value):
    for name in ("created_after", "created_before"):
        response = client.get("/api/v1/signalements/", {name: value})
        assert response.status_code == 200, (name, value)


def test_aware_datetime_clamps_and_refuses():
    paris = aware_datetime("2026-11-21T14:03:00")
    assert paris.utcoffset() == timedelta(hours=1)
    assert aware_datetime("2026-11-21T14:03:00 01:00") == datetime(2026, 11, 21, 13, 3, tzinfo=UTC)
    assert aware_datetime("2026-11-21T14:03:00+15:59").utcoffset() == timedelta(hours=15, minutes=59)
    assert aware_datetime("9999-12-31T23:59:59+15:00") == LATEST
    assert aware_datetime("0001-01-01T00:00:00+01:00") == EARLIEST
    # Both bounds leave room for a search window and a time-zone conversion.
    assert (LATEST + timedelta(days=300)).astimezone(timezone(timedelta(hours=-15))).year == 9999
    assert (EARLIEST - timedelta(days=300)).astimezone(timezone(timedelta(hours=15))).year == 1
    for raw in ("2026-01-01T00:00:00+16:00", "2026-13-01", "hier", "", "2026-01-01T00:00:00+24:00"):
        with pytest.raises(ValueError):
            aware_datetime(raw)


def test_bounded_int():
    assert bounded_int(" 42 ", 1, 100) == 42
    assert bounded_int(str(BIGINT_MAX)) == BIGINT_MAX
    for raw in ("0", "101", "-1", "4.0", "²", "٣", "9" * 5000, str(BIGINT_MAX + 1), ""):
        with pytest.raises(ValueError):
            bounded_int(raw, 1, 100 if len(raw) < 19 else BIGINT_MAX)


def test_open311_odd_parameters_are_400_in_the_spec_shape(client, territoire):
    for fmt in ("json", "xml"):
        for params in (
            {"start_date": "2026-01-01T00:00:00+16:00"},
            {"page": str(BIGINT_MAX)},
            {"page": "9" * 5000},
            {"page_size": "9" * 5000},
            {"jurisdiction_id": "\x00"},
            {"service_code": "\x00"},
        ):
            response = client.get(f"/open311/v2/requests.{fmt}", params)
            assert response.status_code == 400, (fmt, params)
            assert response["Content-Type"].startswith({"json": "application/json", "xml": "text/xml"}[fmt])


def test_open311_dates_at_the_ends_of_the_calendar_answer(client, territoire):
    for params in (
        {"start_date": "9999-12-31"},
        {"start_date": "9999-12-31T00:00:00"},
        {"end_date": "0001-01-01T00:00:00"},
        {"end_date": "0001-01-01T00:00:00+01:00"},
        {"start_date": "9999-12-01", "end_date": "9999-12-31T23:59:59-15:00"},
    ):
        response = client.get("/open311/v2/requests.json", params)
        assert (response.status_code, json.loads(response.content)) == (200, []), params
    response = client.get("/open311/v2/requests.json", {"page_size": str(BIGINT_MAX)})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"categorie": "pro\x00prete", "description": "Sacs.", "lon": 5.3741, "lat": 43.2951},
        {"categorie": "proprete", "description": "Sacs.", "lon": 5.3741, "lat": 43.2951, "x\x00": 1},
        {
            "categorie": "proprete",
            "description": "Sacs.",
            "lon": 5.3741,
            "lat": 43.2951,
            "n": [{"a": "\x00"}],
        },
    ],
)
def test_nul_byte_in_a_json_body_is_a_json_400(client, territoire, body):
    response = client.post("/api/v1/signalements/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert "caractère nul" in json.loads(response.content)["detail"]


@pytest.mark.parametrize("millesime", ["²", "٣", "9" * 5000, "99999", "-1", "2023.0"])
def test_indicator_year_filter_refuses_what_is_not_a_year(client, indicateurs, millesime):  # noqa: F811
    response = client.get("/api/v1/indicateurs/taux-vacance/valeurs/", {"millesime": millesime})
    assert response.status_code == 400
    assert "millesime" in json.loads(response.content)["errors"]
    response = client.get("/api/v1/indicateurs/taux-vacance/valeurs/", {"millesime": "2023"})
    assert {row["millesime"] for row in json.loads(response.content)["valeurs"]} == {2023}
