"""The gestionnaires' page of sends that did not go through, and the send state on a report's page."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from signalements import workflow
from signalements.enums import Status
from signalements.liaisons.models import Envoi, EtatEnvoi, Liaison, Mode
from tests.browser.signalements_data import log_in
from tests.browser.test_accessibility import violations
from tests.factories import UserFactory

SHOTS = "/work/helpers/shots"
REFUSED = "http://127.0.0.1:9/signalements a refusé (403) : Clé d'API (api_key) absente ou invalide."


@pytest.fixture
def abandoned(service_marseille, report, gestionnaire):
    Liaison.objects.create(
        service=service_marseille, mode=Mode.WEBHOOK, webhook_url="http://127.0.0.1:9/signalements"
    )
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    Envoi.objects.filter(signalement=report).update(etat=EtatEnvoi.ABANDONNE, attempts=8, last_error=REFUSED)
    return Envoi.objects.get(signalement=report)


def test_page_lists_failing_sends_in_scope_only(client, abandoned, aix, report):
    url = reverse("signalements:liaisons-envois")
    client.force_login(UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS))
    page = client.get(url)
    assert page.status_code == 200
    assert report.reference in page.content.decode() and "Clé d&#x27;API" in page.content.decode()
    assert report.reference not in client.get(url, {"etat": "echec"}).content.decode()
    assert report.reference in client.get(url, {"etat": "tous"}).content.decode()

    client.force_login(UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS, communes=[aix]))
    assert report.reference not in client.get(url).content.decode()
    retry = reverse("signalements:liaisons-reessayer", kwargs={"pk": abandoned.pk})
    assert client.post(retry).status_code == 404

    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    assert client.get(url).status_code == 403
    assert client.post(retry).status_code == 403


def test_retry_starts_a_new_series(client, abandoned, gestionnaire):
    client.force_login(gestionnaire)
    response = client.post(reverse("signalements:liaisons-reessayer", kwargs={"pk": abandoned.pk}))
    assert response.status_code == 302
    abandoned.refresh_from_db()
    assert (abandoned.etat, abandoned.attempts) == (EtatEnvoi.EN_ATTENTE, 0)
    assert abandoned.next_attempt_at <= timezone.now()
    # Already pending: a second click changes nothing.
    client.post(reverse("signalements:liaisons-reessayer", kwargs={"pk": abandoned.pk}))
    assert Envoi.objects.get(pk=abandoned.pk).etat == EtatEnvoi.EN_ATTENTE


@pytest.mark.browser
def test_gestionnaire_finds_and_retries_a_failed_send(page, live_server, abandoned, gestionnaire, report):
    log_in(page, live_server.url, gestionnaire.email)
    page.get_by_role("link", name="Envois aux systèmes des services").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Envois aux systèmes des services")
    row = page.get_by_role("row").filter(has_text=report.reference)
    expect(row).to_contain_text("Abandonné")
    expect(row).to_contain_text("Clé d'API (api_key) absente ou invalide")
    page.screenshot(path=f"{SHOTS}/liaisons-envois-1280.png", full_page=True)

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path=f"{SHOTS}/liaisons-envois-320.png", full_page=True)
    page.get_by_role("button", name=f"Réessayer l'envoi de {report.reference}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Envoi du signalement {report.reference} relancé.")
    expect(page.get_by_text("Aucun envoi dans cet état.")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("signalements:gestion-detail", kwargs={"pk": report.pk}))
    section = page.get_by_role("region", name="Envoi au système du service")
    expect(section).to_contain_text("En attente")
    expect(section).to_contain_text("Propreté Marseille")
    page.screenshot(path=f"{SHOTS}/liaisons-signalement-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    section.screenshot(path=f"{SHOTS}/liaisons-signalement-320.png")


@pytest.mark.browser
def test_pages_have_no_wcag_violation(browser, live_server, abandoned, gestionnaire, report):
    context = browser.new_context(locale="fr-FR", bypass_csp=True)  # axe is injected by the test
    page = context.new_page()
    log_in(page, live_server.url, gestionnaire.email)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for url in (
            reverse("signalements:liaisons-envois"),
            reverse("signalements:gestion-detail", kwargs={"pk": report.pk}),
        ):
            page.goto(live_server.url + url)
            assert violations(page) == [], f"{url} at {width} px"
    context.close()


def test_admin_shows_the_secret_once_and_renews_it(client, service_marseille):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    add = client.post(
        reverse("admin:signalements_liaison_add"),
        {
            "service": service_marseille.pk,
            "mode": Mode.WEBHOOK,
            "is_active": "on",
            "webhook_url": "https://gmao.exemple.fr/signalements",
            "open311_codes": "{}",
            "suivi_par_sondage": "on",
        },
        follow=True,
    )
    liaison = Liaison.objects.get(service=service_marseille)
    assert liaison.secret in add.content.decode()
    change = client.get(reverse("admin:signalements_liaison_change", args=[liaison.pk])).content.decode()
    assert liaison.secret not in change

    old = liaison.secret
    renewed = client.post(
        reverse("admin:signalements_liaison_changelist"),
        {"action": "renew_secret", "_selected_action": [liaison.pk]},
        follow=True,
    )
    liaison.refresh_from_db()
    assert liaison.secret != old
    assert liaison.secret in renewed.content.decode() and old not in renewed.content.decode()


def test_admin_lists_sends_and_events_read_only(client, abandoned):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert (
        abandoned.signalement.reference
        in client.get(reverse("admin:signalements_envoi_changelist")).content.decode()
    )
    change = client.get(reverse("admin:signalements_envoi_change", args=[abandoned.pk]))
    assert change.status_code == 200 and "Clé d&#x27;API" in change.content.decode()
    assert client.get(reverse("admin:signalements_envoi_add")).status_code == 403
    assert client.get(reverse("admin:signalements_evenemententrant_changelist")).status_code == 200


def test_admin_refuses_a_link_that_could_not_send(client, service_marseille):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:signalements_liaison_add"),
        {
            "service": service_marseille.pk,
            "mode": Mode.OPEN311,
            "is_active": "on",
            "open311_codes": '["proprete"]',
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"open311_url", "open311_api_key", "open311_codes"}
    assert not Liaison.objects.exists()
