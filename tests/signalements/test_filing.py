from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from signalements import services
from signalements.enums import Status
from signalements.models import Historique, Notification, Signalement
from signalements.tasks import send_pending_notifications

from .conftest import VIEUX_PORT, image_file

FORM_URL = "/signalements/nouveau/"


def post_form(client, categorie, **extra):
    data = {
        "lat": VIEUX_PORT["lat"],
        "lon": VIEUX_PORT["lon"],
        "categorie": categorie.pk,
        "description": "Sacs éventrés.",
    }
    data.update(extra)
    return client.post(FORM_URL, data)


def test_form_files_a_report_with_photos_history_and_confirmation(
    client, marseille_setup, categories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = post_form(
            client,
            categories["proprete"],
            email="Habitante@Exemple.fr",
            photos=[image_file("a.jpg"), image_file("b.png", fmt="PNG")],
        )
    report = Signalement.objects.get()
    assert response["Location"] == report.get_tracking_url()
    assert report.commune.insee == "13055"
    assert report.status == Status.NOUVEAU
    assert report.reporter_email == "habitante@exemple.fr"
    assert report.reporter_ip == "127.0.0.1"
    assert report.photos.count() == 2
    assert list(Historique.objects.values_list("to_status", flat=True)) == [Status.NOUVEAU]
    # The confirmation is in the outbox, and leaves with the sweep.
    notification = Notification.objects.get()
    assert notification.recipient == "habitante@exemple.fr"
    assert send_pending_notifications() == 1
    assert mail.outbox[0].subject == f"Signalement {report.reference} bien reçu"
    assert report.get_tracking_url() in mail.outbox[0].body
    # The tracking page shows it without the personal data.
    page = client.get(report.get_tracking_url()).content.decode()
    assert report.reference in page
    assert "habitante@exemple.fr" not in page


def test_tracking_token_is_unguessable_and_unknown_token_is_404(client, marseille_setup, categories):
    post_form(client, categories["proprete"])
    report = Signalement.objects.get()
    assert len(report.token) >= 24
    assert client.get("/signalements/suivi/pas-le-bon-jeton/").status_code == 404


def test_html_in_description_is_refused(client, marseille_setup, categories):
    response = post_form(client, categories["proprete"], description="<script>alert(1)</script>")
    assert response.status_code == 200
    assert "ne doit pas contenir de balises HTML" in response.content.decode()
    assert not Signalement.objects.exists()


def test_missing_point_and_category_get_french_errors(client, marseille_setup):
    response = client.post(FORM_URL, {"description": "x"})
    content = response.content.decode()
    assert "Placez le repère sur la carte" in content
    assert "Choisissez une catégorie." in content


def test_honeypot_stores_nothing(client, marseille_setup, categories):
    response = post_form(client, categories["proprete"], website="http://spam.example")
    assert response.status_code == 302
    assert not Signalement.objects.exists()


def test_more_than_three_photos_are_refused(client, marseille_setup, categories):
    response = post_form(client, categories["proprete"], photos=[image_file(f"{i}.jpg") for i in range(4)])
    assert "3 photos au plus." in response.content.decode()
    assert not Signalement.objects.exists()


def test_similar_open_reports_nearby_are_proposed(client, marseille_setup, categories):
    post_form(client, categories["proprete"])
    existing = Signalement.objects.get()
    nearby = {"lat": VIEUX_PORT["lat"] + 0.0002, "lon": VIEUX_PORT["lon"]}  # about 22 m north
    far = {"lat": VIEUX_PORT["lat"] + 0.002, "lon": VIEUX_PORT["lon"]}  # about 220 m
    found = client.get("/api/v1/signalements/proches/", {**nearby, "categorie": "proprete"}).json()
    assert [r["id"] for r in found] == [existing.pk]
    assert client.get("/api/v1/signalements/proches/", {**far, "categorie": "proprete"}).json() == []
    assert client.get("/api/v1/signalements/proches/", {**nearby, "categorie": "eau"}).json() == []
    # Older than 30 days, or closed: not proposed.
    Signalement.objects.update(created_at=timezone.now() - timedelta(days=31))
    assert client.get("/api/v1/signalements/proches/", {**nearby, "categorie": "proprete"}).json() == []


def test_supporting_counts_once_per_signed_in_user(client, marseille_setup, categories, gestionnaire):
    post_form(client, categories["proprete"])
    report = Signalement.objects.get()
    client.post(reverse("signalements:soutenir", args=[report.pk]))
    client.force_login(gestionnaire)
    client.post(reverse("signalements:soutenir", args=[report.pk]))
    client.post(reverse("signalements:soutenir", args=[report.pk]))
    report.refresh_from_db()
    assert report.soutiens == 2


def test_filing_service_refuses_closed_category_with_alternative(marseille_setup, categories):
    from django.contrib.auth.models import AnonymousUser

    try:
        services.file_signalement(
            user=AnonymousUser(), categorie=categories["eau"], description="Fuite.", **VIEUX_PORT
        )
    except services.FilingError as error:
        assert error.field == "categorie"
        assert "Appelez le numéro de votre facture d'eau." in str(error)
    else:
        raise AssertionError("a closed category must be refused")
