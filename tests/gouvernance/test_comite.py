from datetime import date

import pytest
from django.core import mail

from gouvernance.models import Comite, Rappel, Reunion
from gouvernance.tasks import send_comite_reminders
from tests.factories import UserFactory


@pytest.fixture
def comite():
    comite = Comite.objects.create(nom="Comité de suivi des données", rappel_jours=7)
    comite.membres.add(
        UserFactory(email="agd@exemple.fr"),
        UserFactory(email="dpo@exemple.fr"),
        UserFactory(email="parti@exemple.fr", is_active=False),
    )
    return comite


def test_no_meeting_no_next_date(comite):
    assert comite.next_meeting(date(2026, 5, 1)) is None


def test_next_meeting_is_two_months_after_the_last_one(comite):
    Reunion.objects.create(comite=comite, date=date(2026, 1, 10))
    Reunion.objects.create(comite=comite, date=date(2026, 3, 12))
    assert comite.next_meeting(date(2026, 3, 20)) == date(2026, 5, 12)
    # Month ends stay valid dates.
    Reunion.objects.create(comite=comite, date=date(2026, 12, 31))
    assert comite.next_meeting(date(2027, 1, 5)) == date(2027, 2, 28)


def test_periodicity_is_a_setting(comite):
    comite.periodicite_mois = 3
    comite.save()
    Reunion.objects.create(comite=comite, date=date(2026, 1, 10))
    assert comite.next_meeting(date(2026, 2, 1)) == date(2026, 4, 10)


def test_a_skipped_meeting_keeps_the_rhythm(comite):
    Reunion.objects.create(comite=comite, date=date(2026, 1, 10))
    # 10 March passed without a meeting: the next one in the rhythm is 10 May.
    assert comite.next_meeting(date(2026, 3, 20)) == date(2026, 5, 10)


def test_a_planned_meeting_wins_over_the_computed_date(comite):
    Reunion.objects.create(comite=comite, date=date(2026, 1, 10))
    Reunion.objects.create(comite=comite, date=date(2026, 3, 2), lieu="Le Pharo")
    assert comite.next_meeting(date(2026, 2, 1)) == date(2026, 3, 2)
    # On the day itself it is still the next meeting.
    assert comite.next_meeting(date(2026, 3, 2)) == date(2026, 3, 2)


def test_reminder_is_sent_once_to_active_members(comite):
    Reunion.objects.create(comite=comite, date=date(2026, 1, 10))  # next: 10 March
    assert send_comite_reminders(date(2026, 3, 1)) == 0  # 9 days before: too early
    assert mail.outbox == []

    assert send_comite_reminders("2026-03-04") == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["agd@exemple.fr", "dpo@exemple.fr"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert mail.outbox[0].subject == "Comité de suivi des données : prochaine réunion le 10 mars 2026"
    assert "mardi 10 mars 2026" in mail.outbox[0].body

    assert send_comite_reminders(date(2026, 3, 5)) == 0
    assert send_comite_reminders(date(2026, 3, 10)) == 0
    assert len(mail.outbox) == 2
    assert Rappel.objects.get().date_reunion == date(2026, 3, 10)


def test_reminder_names_the_planned_place_and_agenda(comite):
    Reunion.objects.create(
        comite=comite,
        date=date(2026, 6, 3),
        lieu="Le Pharo, Marseille",
        ordre_du_jour="Registre des traitements",
    )
    assert send_comite_reminders(date(2026, 5, 30)) == 1
    assert "(Le Pharo, Marseille)" in mail.outbox[0].body
    assert "Registre des traitements" in mail.outbox[0].body


def test_failed_sending_is_retried_later(comite, settings):
    Reunion.objects.create(comite=comite, date=date(2026, 1, 10))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: connection refused
    with pytest.raises(OSError):
        send_comite_reminders.run(date(2026, 3, 4))
    assert not Rappel.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_comite_reminders(date(2026, 3, 5)) == 1
