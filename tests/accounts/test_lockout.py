"""The lock-out page and its Retry-After header give the real remaining time, in French."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


def attempt(client, email, password="mauvais"):  # noqa: S107 - a wrong password on purpose
    return client.post(reverse("login"), {"username": email, "password": password})


def lock_out(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = attempt(client, user.email)
    return user, response


def go_back_in_time(minutes):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_the_lock_out_page_says_fifteen_minutes_in_french(client, settings):
    _, response = lock_out(client, settings)
    assert response.status_code == 429
    page = response.content.decode()
    assert "PT15M" not in page
    assert "la connexion est bloquée pendant 15\xa0minutes." in page
    assert 899 <= int(response["Retry-After"]) <= 900


def test_the_page_and_the_header_count_down_and_the_lock_ends(client, settings):
    user, _ = lock_out(client, settings)
    go_back_in_time(10)
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "pendant 5\xa0minutes." in response.content.decode()
    assert 299 <= int(response["Retry-After"]) <= 300
    # Trying again during the lock does not start it over.
    go_back_in_time(4)
    response = attempt(client, user.email)
    assert "pendant 1\xa0minute." in response.content.decode()
    assert 59 <= int(response["Retry-After"]) <= 60
    go_back_in_time(2)
    assert attempt(client, user.email, PASSWORD).status_code == 302


def test_a_longer_lock_reads_in_hours_and_minutes(client, settings):
    settings.AXES_COOLOFF_TIME = 1.5
    _, response = lock_out(client, settings)
    assert "pendant 1\xa0heure, 30\xa0minutes." in response.content.decode()
    assert int(response["Retry-After"]) >= 5399
