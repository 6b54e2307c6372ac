"""Property test of Open311: whatever its parameters hold, an answer is never a 5xx and always a
well-formed document in the format asked (JSON, or XML readable by ElementTree)."""

import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signalements.models import ApiKey

BASE = "/open311/v2"
PROPERTY = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

anything = st.text(max_size=30)  # control characters and NUL included
big_numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
numbers = st.one_of(big_numbers, st.floats(allow_nan=True, allow_infinity=True).map(str), anything)
moments = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC) | st.none()
)
offsets = st.sampled_from(["", "Z", "+01:00", " 01:00", "-15:59", "+16:00", "-23:59", "+99:99"])
dates = st.one_of(
    st.builds(lambda moment, offset: moment.replace(tzinfo=None).isoformat() + offset, moments, offsets),
    st.dates(min_value=datetime(1, 1, 1).date()).map(str),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "2026-11-21T25:00:00"]),
    anything,
)
statuses = st.sampled_from(["open", "closed", "open,closed", ",", "pending"]) | anything
jurisdictions = st.sampled_from(["13055", "13001", "99999"]) | anything
service_codes = st.sampled_from(["proprete", "voirie", "proprete,voirie"]) | anything
ids = st.one_of(
    st.lists(st.integers(min_value=-5, max_value=2**64), max_size=4).map(
        lambda values: ",".join(map(str, values))
    ),
    anything,
)
search = st.fixed_dictionaries(
    {},
    optional={
        "jurisdiction_id": jurisdictions,
        "service_code": service_codes,
        "status": statuses,
        "start_date": dates,
        "end_date": dates,
        "page": numbers,
        "page_size": numbers,
        "lat": numbers,
        "long": numbers,
        "radius": numbers,
        "service_request_id": ids,
    },
)
formats = st.sampled_from(["json", "xml"])
# A path segment reaches a view only without "/" or "." (see open311/urls.py): other text is Django's 404.
segments = st.text(min_size=1, max_size=30).filter(lambda text: "/" not in text and "." not in text)


def assert_well_formed(response, fmt):
    assert response.status_code < 500, response.content[:300]
    if fmt == "xml":
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        ET.fromstring(response.content)  # noqa: S314 - our own server's output
    else:
        assert response["Content-Type"] == "application/json; charset=utf-8"
        json.loads(response.content)


@pytest.fixture
def api_key(marseille_setup):
    return ApiKey.objects.create(name="Client de test").key


@given(params=search, fmt=formats)
@PROPERTY
def test_requests_search_never_fails(client, marseille_setup, params, fmt):
    assert_well_formed(client.get(f"{BASE}/requests.{fmt}", params), fmt)


@given(
    params=st.fixed_dictionaries(
        {}, optional={"start_date": dates, "end_date": dates, "page": numbers, "page_size": numbers}
    ),
    fmt=formats,
)
@PROPERTY
def test_requests_window_and_paging_never_fail(client, marseille_setup, params, fmt):
    # The arguments other checks come before, alone, so that every example reaches them.
    assert_well_formed(client.get(f"{BASE}/requests.{fmt}", params), fmt)


@given(params=st.fixed_dictionaries({}, optional={"jurisdiction_id": jurisdictions}), fmt=formats)
@PROPERTY
def test_services_never_fail(client, marseille_setup, params, fmt):
    assert_well_formed(client.get(f"{BASE}/services.{fmt}", params), fmt)
    assert_well_formed(client.get(f"{BASE}/discovery.{fmt}", params), fmt)


@given(segment=segments | service_codes.filter(bool) | ids.filter(bool), fmt=formats, params=search)
@PROPERTY
def test_single_resources_never_fail(client, marseille_setup, segment, fmt, params):
    if "/" in segment or "." in segment:
        return
    for resource in ("services", "requests", "tokens"):
        assert_well_formed(client.get(f"{BASE}/{resource}/{quote(segment, safe='')}.{fmt}", params), fmt)


@given(
    data=st.fixed_dictionaries(
        {"lat": numbers | st.just("43.2951"), "long": numbers | st.just("5.3741")},
        optional={
            "service_code": service_codes,
            "jurisdiction_id": jurisdictions,
            "description": st.text(max_size=50),
            "email": st.emails() | anything,
        },
    ),
    fmt=formats,
)
@PROPERTY
def test_filing_never_fails(client, api_key, data, fmt):
    assert_well_formed(client.post(f"{BASE}/requests.{fmt}", {"api_key": api_key, **data}), fmt)
