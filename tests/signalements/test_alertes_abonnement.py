"""Subscribing: the form, double opt-in, expiry, limits against mail bombing, unsubscribing."""

import re
from datetime import timedelta

from django.core import mail
from django.test import Client
from django.utils import timezone

from signalements.alertes import services as alertes
from signalements.alertes.matching import NOUVEAU
from signalements.alertes.models import Abonnement
from signalements.models import Notification
from signalements.tasks import send_pending_notifications

from .alertes_data import abonnement, file_report
from .conftest import VIEUX_PORT

PAGE = "/signalements/alertes/"


def subscribe(client, address="203.0.113.7", **data):
    fields = {"zone_type": "commune", "commune": "13055", "nouveaux": "on", "frequence": "immediate"}
    return client.post(PAGE, {**fields, "email": "Habitante@Exemple.fr", **data}, REMOTE_ADDR=address)


def confirmation_link(email):
    body = Notification.objects.filter(recipient=email).latest("pk").body
    return re.search(r"http://127\.0\.0\.1:8000(/signalements/alertes/confirmation/[^/]+/)", body)[1]


def test_page_is_public_and_linked_from_the_signalements_pages(client, territoire):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>1. Quelle zone ?</legend>" in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert 'href="/signalements/alertes/"' in client.get("/signalements/").content.decode()
    assert 'href="/signalements/alertes/"' in client.get("/signalements/carte/").content.decode()


def test_double_opt_in(client, marseille_setup, categories):
    response = subscribe(client)
    assert response.status_code == 200
    assert (
        "Un courriel vient d'être envoyé à <strong>habitante@exemple.fr</strong>" in response.content.decode()
    )
    sub = Abonnement.objects.get()
    assert (sub.email, sub.commune, sub.confirmed_at) == ("habitante@exemple.fr", marseille_setup, None)
    [confirmation] = Notification.objects.filter(recipient="habitante@exemple.fr")
    assert "Sans confirmation dans les 48 heures" in confirmation.body

    # Nothing is sent before confirmation.
    report = file_report(categories)
    assert alertes.send_alerts(report.pk, NOUVEAU) == 0

    link = confirmation_link("habitante@exemple.fr")
    # Opening the link (a mail scanner does) confirms nothing: a button does.
    page = client.get(link)
    assert "Confirmer l'abonnement" in page.content.decode()
    sub.refresh_from_db()
    assert sub.confirmed_at is None
    page = client.post(link)
    assert "Votre abonnement est confirmé" in page.content.decode()
    sub.refresh_from_db()
    assert sub.is_active and sub.sent_until == sub.confirmed_at

    assert alertes.send_alerts(file_report(categories).pk, NOUVEAU) == 1


def test_unconfirmed_subscription_expires(client, marseille_setup):
    subscribe(client)
    link = confirmation_link("habitante@exemple.fr")
    Abonnement.objects.update(created_at=timezone.now() - timedelta(hours=49))
    response = client.post(link)
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    assert Abonnement.objects.get().confirmed_at is None
    assert alertes.delete_unconfirmed() == 1
    assert client.get(link).status_code == 404


def test_radius_subscription(client, marseille_setup):
    response = subscribe(
        client,
        zone_type="rayon",
        commune="",
        lat=VIEUX_PORT["lat"],
        lon=VIEUX_PORT["lon"],
        rayon_m="300",
        lieu="",
    )
    assert response.status_code == 200
    sub = Abonnement.objects.get()
    assert (sub.commune, sub.rayon_m, sub.lieu) == (None, 300, "un point de Marseille")
    assert sub.centre.srid == 2154
    assert "à moins de 300 m de un point de Marseille" in Notification.objects.get().body


def test_errors_in_french(client, territoire):
    cases = [
        ({"zone_type": ""}, "Choisissez une commune, un arrondissement ou un lieu."),
        ({"commune": ""}, "Choisissez la commune."),
        ({"zone_type": "arrondissement", "commune": ""}, "Choisissez l&#x27;arrondissement."),
        ({"zone_type": "rayon"}, "Choisissez le lieu : recherchez une adresse ou cliquez sur la carte."),
        ({"zone_type": "rayon", "lat": "43.15", "lon": "5.05"}, "Ce lieu est en dehors du territoire"),
        (
            {"zone_type": "rayon", "lat": "43.3", "lon": "5.4", "rayon_m": "50"},
            "Le rayon est de 100 m au moins.",
        ),
        (
            {"zone_type": "rayon", "lat": "43.3", "lon": "5.4", "rayon_m": "3000"},
            "Le rayon est de 2 km au plus.",
        ),
        ({"nouveaux": ""}, "Cochez au moins une des deux sortes de signalements."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse électronique valide"),
    ]
    for data, message in cases:
        response = subscribe(client, **data)
        assert response.status_code == 200
        assert message in response.content.decode(), (data, message)
    assert not Abonnement.objects.exists()
    assert not Notification.objects.exists()


def test_limits_stop_mail_bombing(client, marseille_setup, settings):
    for _ in range(settings.ALERTES_PENDING_PER_EMAIL):
        subscribe(client)
    response = subscribe(client)
    assert (
        "Plusieurs demandes attendent déjà une confirmation pour cette adresse" in response.content.decode()
    )
    assert Notification.objects.filter(recipient="habitante@exemple.fr").count() == 3

    # Other addresses from the same client address: limited too.
    other = Client()
    for n in range(settings.ALERTES_IP_LIMIT - 3):
        subscribe(other, email=f"cible{n}@exemple.fr")
    response = subscribe(other, email="encore@exemple.fr")
    assert "Trop de demandes d&#x27;abonnement depuis votre connexion" in response.content.decode()
    assert Abonnement.objects.count() == settings.ALERTES_IP_LIMIT


def test_limit_per_email_across_client_addresses(marseille_setup, settings):
    settings.ALERTES_PENDING_PER_EMAIL = 100
    for n in range(settings.ALERTES_EMAIL_LIMIT + 1):
        response = subscribe(Client(), address=f"198.51.100.{n}", email="victime@exemple.fr")
    assert "Trop de demandes d&#x27;abonnement pour cette adresse électronique" in response.content.decode()


def test_one_click_unsubscribe_rfc_8058(marseille_setup, categories):
    sub = abonnement("voisin@exemple.fr", commune=marseille_setup)
    alertes.send_alerts(file_report(categories).pk, NOUVEAU)
    send_pending_notifications()
    message = next(m for m in mail.outbox if m.to == ["voisin@exemple.fr"])
    url = re.match(r"<([^>]+)>", message.extra_headers["List-Unsubscribe"])[1]
    path = url.removeprefix("http://127.0.0.1:8000")
    # The mail provider's POST: no cookie, no CSRF token.
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None
    assert alertes.send_alerts(file_report(categories).pk, NOUVEAU) == 0
    # A second click changes nothing.
    first = sub.unsubscribed_at
    provider.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    sub.refresh_from_db()
    assert sub.unsubscribed_at == first


def test_unsubscribe_page_asks_before_unsubscribing(client, marseille_setup):
    sub = abonnement("voisin@exemple.fr", commune=marseille_setup)
    path = f"/signalements/alertes/desabonnement/{sub.token}/"
    page = client.get(path).content.decode()
    assert "Me désabonner" in page
    sub.refresh_from_db()
    assert sub.unsubscribed_at is None
    page = client.post(path).content.decode()
    assert "C'est fait" in page
    sub.refresh_from_db()
    assert sub.unsubscribed_at is not None
    assert client.get("/signalements/alertes/desabonnement/inconnu/").status_code == 404
