"""The reporter's opinion after resolution: invitation, form on the tracking page, API, reopening."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from observatoire.accounts.enums import Role
from signalements import services
from signalements.enums import Status
from signalements.models import Avis, Historique, Notification, Signalement
from signalements.satisfaction.invitation import SUBJECT
from signalements.satisfaction.services import AvisError, record
from tests.factories import UserFactory
from tests.signalements.satisfaction_data import resolve

from .conftest import VIEUX_PORT

S = Status


@pytest.fixture
def resolved(report, gestionnaire, service_agent):
    return resolve(report, gestionnaire, service_agent)


def avis_url(report):
    return reverse("signalements:avis", kwargs={"token": report.token})


def api_url(report):
    return reverse("signalements-api:avis", kwargs={"token": report.token})


def test_resolution_queues_one_invitation_to_the_reporter(resolved, django_capture_on_commit_callbacks):
    invitations = Notification.objects.filter(subject=SUBJECT.format(reference=resolved.reference))
    assert invitations.count() == 1
    invitation = invitations.get()
    assert invitation.recipient == "habitant@exemple.fr"
    assert resolved.get_tracking_url() + "#avis" in invitation.body
    assert "jamais utilisée pour évaluer un agent" in invitation.body


def test_no_invitation_without_an_email(marseille_setup, categories, gestionnaire, service_agent):
    report = services.file_signalement(
        user=None, categorie=categories["proprete"], description="Tags sur un mur.", email="", **VIEUX_PORT
    )
    resolve(report, gestionnaire, service_agent)
    assert (
        not Notification.objects.filter(signalement=report).exclude(recipient="proprete@exemple.fr").exists()
    )


def test_tracking_page_offers_the_form_only_once_resolved(client, report, resolved):
    page = client.get(resolved.get_tracking_url()).content.decode()
    assert "Le problème est-il réglé ?" in page
    assert "<legend>Votre satisfaction sur le traitement du signalement (facultatif)</legend>" in page
    assert page.count('type="radio" name="note"') == 5
    # The older « problème persiste » form is not offered twice.
    assert "Signaler que le problème persiste" not in page


def test_form_not_offered_before_resolution(client, report):
    page = client.get(report.get_tracking_url()).content.decode()
    assert 'id="avis"' not in page
    response = client.post(avis_url(report), {"probleme_regle": "oui"})
    assert response.status_code == 302
    assert not Avis.objects.exists()
    assert "une fois le signalement résolu" in client.get(report.get_tracking_url()).content.decode()


def test_fixed_answer_is_recorded_once_with_a_snapshot(client, resolved, service_marseille):
    response = client.post(
        avis_url(resolved), {"probleme_regle": "oui", "note": "4", "commentaire": " Rapide. "}
    )
    assert response.status_code == 302
    avis = Avis.objects.get()
    assert (avis.probleme_regle, avis.note, avis.commentaire) == (True, 4, "Rapide.")
    assert (avis.categorie, avis.service, avis.commune) == (
        resolved.categorie,
        service_marseille,
        resolved.commune,
    )
    resolved.refresh_from_db()
    assert resolved.status == S.RESOLU
    page = client.get(resolved.get_tracking_url()).content.decode()
    assert "Merci pour votre avis." in page
    assert "satisfaction 4 sur 5" in page

    again = client.post(avis_url(resolved), {"probleme_regle": "non", "note": "1"}, follow=True)
    assert "Vous avez déjà donné votre avis sur ce signalement." in again.content.decode()
    assert Avis.objects.count() == 1
    resolved.refresh_from_db()
    assert resolved.status == S.RESOLU


def test_not_fixed_reopens_and_keeps_the_comment_private(client, resolved):
    response = client.post(
        avis_url(resolved),
        {"probleme_regle": "non", "commentaire": "Toujours là, j'habite au 12."},
        follow=True,
    )
    assert "le signalement est rouvert" in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == S.REOUVERT
    entry = resolved.historique.last()
    assert entry.to_status == S.REOUVERT
    assert "12" not in entry.note  # the free text stays in the opinion, not in a public note
    assert Avis.objects.get().probleme_regle is False


def test_not_fixed_after_30_days_is_recorded_without_reopening(client, resolved):
    Signalement.objects.filter(pk=resolved.pk).update(resolved_at=timezone.now() - timedelta(days=31))
    response = client.post(avis_url(resolved), {"probleme_regle": "non", "note": "2"}, follow=True)
    page = response.content.decode()
    assert "votre avis est enregistré" in page
    assert "délai de 30 jours" in page
    resolved.refresh_from_db()
    assert resolved.status == S.RESOLU
    assert Avis.objects.get().note == 2
    assert not Historique.objects.filter(signalement=resolved, to_status=S.REOUVERT).exists()


def test_invalid_answers_are_explained_in_french(client, resolved):
    response = client.post(avis_url(resolved), {"note": "9"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez si le problème est réglé." in page
    assert "Choisissez une note de 1 à 5." in page
    assert 'aria-describedby="id_probleme_regle_error"' in page
    assert not Avis.objects.exists()


def test_wrong_token_is_a_404(client, resolved):
    assert client.post("/signalements/suivi/inconnu/avis/", {"probleme_regle": "oui"}).status_code == 404


def test_api_reads_and_gives_the_opinion_once(resolved):
    api = APIClient()
    state = api.get(api_url(resolved)).json()
    assert state == {"reference": resolved.reference, "avis_possible": True, "avis": None}

    bad = api.post(api_url(resolved), {"probleme_regle": True, "note": 6}, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"note": ["La note va de 1 à 5."]}
    missing = api.post(api_url(resolved), {"note": 3}, format="json")
    assert missing.json()["errors"]["probleme_regle"] == [
        "Indiquez si le problème est réglé (true ou false)."
    ]

    created = api.post(api_url(resolved), {"probleme_regle": False, "note": 2}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["rouvert"], body["status"], body["avis"]["note"]) == (True, S.REOUVERT, 2)

    twice = api.post(api_url(resolved), {"probleme_regle": True}, format="json")
    assert twice.status_code == 409
    assert twice.json() == {"detail": "Vous avez déjà donné votre avis sur ce signalement. Merci !"}
    assert api.get(api_url(resolved)).json()["avis_possible"] is False
    assert api.get("/api/v1/signalements/suivi/inconnu/avis/").status_code == 404


def test_api_ignores_a_signed_in_session_without_csrf(resolved):
    """The token is the credential: a browser's session cookie neither helps nor blocks."""
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(UserFactory(role=Role.CITOYEN))
    response = api.post(api_url(resolved), {"probleme_regle": True}, format="json")
    assert response.status_code == 201


def test_mes_signalements_links_to_the_pending_opinion(
    client, marseille_setup, categories, gestionnaire, service_agent
):
    citoyen = UserFactory(role=Role.CITOYEN)
    report = services.file_signalement(
        user=citoyen, categorie=categories["proprete"], description="Banc cassé.", **VIEUX_PORT
    )
    client.force_login(citoyen)
    assert "Donner mon avis" not in client.get(reverse("signalements:mes-signalements")).content.decode()
    resolve(report, gestionnaire, service_agent)
    page = client.get(reverse("signalements:mes-signalements")).content.decode()
    assert f'href="{report.get_tracking_url()}#avis">Donner mon avis' in page
    assert Notification.objects.filter(recipient=citoyen.email, subject__contains="réglé").count() == 1
    client.post(avis_url(report), {"probleme_regle": "oui"})
    assert "Donner mon avis" not in client.get(reverse("signalements:mes-signalements")).content.decode()


def test_purge_erases_the_comment_and_keeps_the_rating(client, resolved):
    from signalements.retention import purge_personal_data

    client.post(
        avis_url(resolved), {"probleme_regle": "oui", "note": "5", "commentaire": "Je suis M. Martin."}
    )
    Signalement.objects.filter(pk=resolved.pk).update(
        status=S.CLOS, closed_at=timezone.now() - timedelta(days=800)
    )
    assert purge_personal_data() == 1
    avis = Avis.objects.get()
    assert (avis.note, avis.probleme_regle, avis.commentaire) == (5, True, "")


def test_agents_read_the_opinion_on_the_report_page(client, resolved, service_agent):
    client.post(avis_url(resolved), {"probleme_regle": "non", "note": "2", "commentaire": "Encore des sacs."})
    client.force_login(service_agent)
    page = client.get(reverse("signalements:gestion-detail", args=[resolved.pk])).content.decode()
    assert "Avis de l&#x27;auteur" in page or "Avis de l'auteur" in page
    assert "non réglé" in page and "satisfaction 2 sur 5" in page and "Encore des sacs." in page


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_answers_give_one_opinion_and_one_refusal(resolved):
    """A double click or two tabs: the report row is locked, the second answer is refused in French."""
    barrier, outcomes = threading.Barrier(2), []

    def answer(fixed):
        barrier.wait(10)
        try:
            outcomes.append(record(resolved, token=resolved.token, probleme_regle=fixed))
        except AvisError as error:
            outcomes.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(fixed,)) for fixed in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert Avis.objects.count() == 1
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Outcome", "str"]
    assert "Vous avez déjà donné votre avis sur ce signalement. Merci !" in outcomes
    # A « non » that won reopened the report; a « oui » that won left it resolved.
    resolved.refresh_from_db()
    assert resolved.status == (S.RESOLU if Avis.objects.get().probleme_regle else S.REOUVERT)
