"""Answers in words for the people who handle reports: triage page, service's page, service's e-mail."""

import pytest

from observatoire.accounts.enums import Role
from signalements import workflow
from signalements.enums import Status
from signalements.models import Notification
from tests.factories import UserFactory

from .questions_support import file_with_answers, questions_fixture  # noqa: F401


@pytest.fixture
def report(marseille_setup, categories, questions):
    reponses = {"volume": "camion", "depuis": "2026-11-02", "detail": "Derrière le conteneur vert"}
    return file_with_answers(categories["proprete"], reponses)


def test_triage_and_service_pages_show_labels(client, report, gestionnaire, service_marseille):
    url = f"/signalements/gestion/{report.pk}/"
    client.force_login(gestionnaire)
    html = client.get(url).content.decode()
    assert "<dt>Quel volume environ ?</dt><dd>Un camion ou plus</dd>" in html
    assert "<dt>Depuis quand est-ce là ?</dt><dd>02/11/2026</dd>" in html
    assert "Derrière le conteneur vert" in html
    assert ">camion<" not in html
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire, service=service_marseille)
    agent = UserFactory(role=Role.AGENT_METROPOLITAIN)
    service_marseille.members.add(agent)
    client.force_login(agent)
    assert "<dt>Quel volume environ ?</dt><dd>Un camion ou plus</dd>" in client.get(url).content.decode()


def test_service_email_lists_the_answers(report, gestionnaire, service_marseille):
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire, service=service_marseille)
    mail = Notification.objects.get(recipient=service_marseille.email)
    assert "Quel volume environ ? : Un camion ou plus\n" in mail.body
    assert "Depuis quand est-ce là ? : 02/11/2026\n" in mail.body
    assert "Un détail qui aidera l'équipe sur place ? : Derrière le conteneur vert\n" in mail.body
