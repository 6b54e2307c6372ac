"""Photos are served by Django with the access rules of their report (issue 10, item 2)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from observatoire.accounts.enums import Role
from signalements import services
from signalements.enums import RejectionReason
from signalements.photos import clean_photo
from tests.factories import UserFactory

from .conftest import VIEUX_PORT, image_file


@pytest.fixture
def photo(report):
    return services.add_photo(report, clean_photo(image_file()))


def fetch(client, url):
    """GET the URL and read a streamed body whole (the test client then closes the file)."""
    response = client.get(url)
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def photo_url(photo):
    return reverse("signalements:photo", args=[photo.pk])


def token_url(photo, token=None):
    return reverse("signalements:suivi-photo", args=[token or photo.signalement.token, photo.pk])


def test_photo_of_an_unpublished_report_is_not_public(client, photo):
    assert not photo.signalement.is_published
    assert fetch(client, photo_url(photo)).status_code == 404
    assert client.get(reverse("signalements:vignette", args=[photo.pk])).status_code == 404


def test_photo_of_a_published_report_is_public_and_cacheable(client, photo):
    photo.signalement.description_validee = True
    photo.signalement.save()
    response = fetch(client, photo_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response.body[:3] == b"\xff\xd8\xff"
    assert "public" in response["Cache-Control"]


def test_spam_is_never_public_even_if_validated(client, photo):
    photo.signalement.description_validee = True
    photo.signalement.rejection_reason = RejectionReason.SPAM
    photo.signalement.save()
    assert fetch(client, photo_url(photo)).status_code == 404


def test_token_holder_sees_the_photo_and_thumbnail_privately(client, photo):
    for name in ("signalements:suivi-photo", "signalements:suivi-vignette"):
        response = fetch(client, reverse(name, args=[photo.signalement.token, photo.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]


def test_a_token_opens_only_its_own_reports_photos(client, photo, categories):
    other = services.file_signalement(
        user=AnonymousUser(), categorie=categories["proprete"], description="Autre.", **VIEUX_PORT
    )
    assert client.get(token_url(photo, token=other.token)).status_code == 404


def test_gestionnaire_in_scope_sees_the_photo(client, photo, gestionnaire):
    client.force_login(gestionnaire)
    response = fetch(client, photo_url(photo))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_service_agent_sees_the_photo_of_a_report_of_his_service(client, photo, service_agent):
    photo.signalement.service = service_agent.services_techniques.get()
    photo.signalement.save()
    client.force_login(service_agent)
    assert fetch(client, photo_url(photo)).status_code == 200


def test_agent_out_of_scope_does_not(client, photo, aix):
    client.force_login(UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS, communes=[aix]))
    assert fetch(client, photo_url(photo)).status_code == 404


def test_media_root_is_not_served(client, photo):
    photo.signalement.description_validee = True
    photo.signalement.save()
    assert client.get("/media/" + photo.image.name).status_code == 404


def test_on_object_storage_the_photo_redirects_to_a_short_lived_presigned_url(client, photo, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    settings.AWS_STORAGE_BUCKET_NAME = "photos-signalements"
    settings.AWS_ACCESS_KEY_ID = "cle-de-test"
    settings.AWS_SECRET_ACCESS_KEY = "secret-de-test"
    settings.AWS_S3_REGION_NAME = "fr-par"
    settings.AWS_S3_ENDPOINT_URL = "https://s3.fr-par.example"
    response = fetch(client, token_url(photo))
    assert response.status_code == 302
    assert response["Location"].startswith("https://s3.fr-par.example/photos-signalements/")
    assert "X-Amz-Expires=300" in response["Location"]
    assert "no-store" in response["Cache-Control"]
    # The token is still checked before anything is signed.
    assert client.get(token_url(photo, token="x" * 24)).status_code == 404
