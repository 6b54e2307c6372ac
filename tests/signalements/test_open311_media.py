"""Open311 ``media_url``: a report's first photo, public once the report is published, never before."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from signalements import services
from signalements.enums import PhotoKind, RejectionReason
from signalements.models import Signalement
from signalements.photos import clean_photo

from .conftest import VIEUX_PORT, image_file

BASE = "/open311/v2"


def file_with_photos(categories, count=2):
    report = services.file_signalement(
        user=AnonymousUser(),
        categorie=categories["proprete"],
        description="Encombrants sur le trottoir.",
        photos=[clean_photo(image_file(f"photo-{n}.jpg")) for n in range(count)],
        **VIEUX_PORT,
    )
    return report


def media_urls(client, report):
    json_url = client.get(f"{BASE}/requests/{report.pk}.json").json()[0]["media_url"]
    xml = client.get(f"{BASE}/requests/{report.pk}.xml").content.decode()
    assert f"<media_url>{json_url}</media_url>" in xml or (json_url == "" and "<media_url />" in xml)
    listed = {r["service_request_id"]: r["media_url"] for r in client.get(f"{BASE}/requests.json").json()}
    assert listed[str(report.pk)] == json_url
    return json_url


def publish(report, **changes):
    Signalement.objects.filter(pk=report.pk).update(description_validee=True, **changes)


def test_unpublished_report_has_no_media_url_and_its_photo_stays_hidden(client, marseille_setup, categories):
    report = file_with_photos(categories)
    assert media_urls(client, report) == ""
    first = report.photos.order_by("created_at", "pk").first()
    assert client.get(f"/signalements/photos/{first.pk}/").status_code == 404


def test_published_report_gives_its_first_photo_which_anyone_may_fetch(
    client, marseille_setup, categories, settings
):
    settings.SITE_URL = "https://observatoire.exemple.fr"
    report = file_with_photos(categories)
    first, second = report.photos.order_by("created_at", "pk")
    publish(report)
    url = media_urls(client, report)
    assert url == f"https://observatoire.exemple.fr/signalements/photos/{first.pk}/"
    response = Client().get(url.removeprefix(settings.SITE_URL))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    assert second.pk != first.pk


def test_the_services_after_photo_is_not_the_reports_media(client, marseille_setup, categories):
    report = file_with_photos(categories, count=0)
    services.add_photo(report, clean_photo(image_file("apres.jpg")), kind=PhotoKind.APRES)
    publish(report)
    assert media_urls(client, report) == ""


def test_published_report_without_photo_has_an_empty_media_url(client, marseille_setup, categories):
    report = file_with_photos(categories, count=0)
    publish(report)
    assert media_urls(client, report) == ""


def test_spam_is_out_of_open311_even_validated(client, marseille_setup, categories):
    report = file_with_photos(categories, count=1)
    publish(report, rejection_reason=RejectionReason.SPAM)
    assert client.get(f"{BASE}/requests/{report.pk}.json").status_code == 404
    photo = report.photos.get()
    assert client.get(f"/signalements/photos/{photo.pk}/").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_media_url_costs_no_query_per_row(
    client, marseille_setup, categories, django_assert_max_num_queries, fmt
):
    for _ in range(3):
        publish(file_with_photos(categories, count=1))
    with django_assert_max_num_queries(1):
        response = client.get(f"{BASE}/requests.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert all(r["media_url"] for r in json.loads(response.content))
