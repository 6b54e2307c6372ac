"""« Mes sessions »: a user sees where their account is signed in and ends the sessions they want."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from observatoire.connexions.models import ActiveSession, EvenementConnexion
from observatoire.connexions.views import public_id
from tests.factories import PASSWORD, UserFactory

URL = reverse("connexions:mes-sessions")


def signed_in(user, agent, ip="198.51.100.1"):
    browser = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    assert browser.post(reverse("login"), {"username": user.email, "password": PASSWORD}).status_code == 302
    return browser


def test_the_page_lists_my_sessions_marks_this_one_and_never_shows_a_key():
    user = UserFactory()
    laptop = signed_in(user, "Firefox sur le portable", "198.51.100.1")
    phone = signed_in(user, "Safari sur le téléphone", "198.51.100.2")
    signed_in(UserFactory(), "Le navigateur de quelqu'un d'autre")
    page = laptop.get(URL).content.decode()
    assert "Firefox sur le portable <strong>(cet appareil)</strong>" in page
    assert "Safari sur le téléphone" in page and "198.51.100.2" in page
    assert "quelqu&#x27;un d&#x27;autre" not in page
    for key in (laptop.session.session_key, phone.session.session_key):
        assert key not in page


def test_ending_another_session_signs_that_device_out():
    user = UserFactory()
    laptop = signed_in(user, "portable")
    phone = signed_in(user, "téléphone")
    target = public_id(phone.session.session_key)
    response = laptop.post(reverse("connexions:fermer", args=[target]))
    assert response.status_code == 302
    assert phone.get(reverse("profile")).status_code == 302  # back to the login page
    assert laptop.get(reverse("profile")).status_code == 200
    assert list(ActiveSession.objects.filter(user=user).values_list("user_agent", flat=True)) == ["portable"]
    event = EvenementConnexion.objects.get(type="session_ended")
    assert (event.user, event.details) == (user, {"count": 1, "scope": "une"})


def test_ending_all_the_others_keeps_this_one():
    user = UserFactory()
    laptop = signed_in(user, "portable")
    others = [signed_in(user, f"appareil {n}") for n in range(3)]
    laptop.post(reverse("connexions:fermer-autres"))
    assert all(other.get(reverse("profile")).status_code == 302 for other in others)
    assert laptop.get(reverse("profile")).status_code == 200
    assert ActiveSession.objects.filter(user=user).count() == 1
    assert EvenementConnexion.objects.get(type="session_ended").details == {"count": 3, "scope": "autres"}


def test_ending_this_session_is_a_logout():
    user = UserFactory()
    laptop = signed_in(user, "portable")
    response = laptop.post(reverse("connexions:fermer", args=[public_id(laptop.session.session_key)]))
    assert response["Location"] == reverse("login")
    assert EvenementConnexion.objects.filter(type="logout", user=user).count() == 1
    assert not ActiveSession.objects.filter(user=user).exists()


def test_nobody_ends_someone_elses_session():
    victim = UserFactory()
    phone = signed_in(victim, "téléphone")
    intruder = signed_in(UserFactory(), "intrus")
    response = intruder.post(reverse("connexions:fermer", args=[public_id(phone.session.session_key)]))
    assert response.status_code == 404
    assert phone.get(reverse("profile")).status_code == 200
    # Nor by the key itself.
    assert intruder.post(reverse("connexions:fermer", args=[phone.session.session_key])).status_code == 404


def test_last_seen_is_written_at_most_once_a_minute():
    user = UserFactory()
    laptop = signed_in(user, "portable")
    row = ActiveSession.objects.get(user=user)
    ActiveSession.objects.filter(pk=row.pk).update(last_seen=timezone.now() - timedelta(hours=2))
    laptop.get(reverse("profile"))
    assert ActiveSession.objects.get(pk=row.pk).last_seen < timezone.now() - timedelta(hours=1)
    # A minute later (as the session remembers it), the next request refreshes the row.
    session = laptop.session
    session["connexions_seen"] -= 61
    session.save()
    laptop.get(reverse("profile"), REMOTE_ADDR="198.51.100.77")
    row.refresh_from_db()
    assert row.last_seen > timezone.now() - timedelta(minutes=1) and row.ip == "198.51.100.77"


def test_a_session_opened_before_the_table_gets_its_row_on_its_next_request():
    user = UserFactory()
    laptop = signed_in(user, "portable")
    ActiveSession.objects.all().delete()
    session = laptop.session
    del session["connexions_seen"]
    session.save()
    laptop.get(reverse("profile"))
    assert ActiveSession.objects.get(user=user).session_key == laptop.session.session_key
    assert Session.objects.filter(session_key=laptop.session.session_key).exists()


def test_an_expired_session_is_not_listed_and_the_nightly_purge_removes_its_row():
    from observatoire.connexions.tasks import purge_journal

    user = UserFactory()
    laptop = signed_in(user, "portable")
    forgotten = signed_in(user, "ordinateur de la médiathèque")
    Session.objects.filter(session_key=forgotten.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    page = laptop.get(URL).content.decode()
    assert "médiathèque" not in page and "portable" in page
    assert purge_journal()["sessions"] == 1
    assert list(ActiveSession.objects.filter(user=user).values_list("user_agent", flat=True)) == ["portable"]
