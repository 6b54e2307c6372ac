"""In Chromium: the reporter rates a resolved report with the keyboard-usable radio groups; the
service picks a response template that fills the note; the élu sees the satisfaction chart."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from observatoire.accounts.enums import Role
from signalements import workflow
from signalements.enums import Status
from signalements.models import Avis
from signalements.reponses.models import ModeleReponse, UsageModele
from tests.browser import signalements_data
from tests.factories import UserFactory
from tests.signalements.satisfaction_data import resolve

pytestmark = pytest.mark.browser
SHOTS = Path("/work/helpers/shots")
S = Status


@pytest.fixture
def resolved(report, gestionnaire, service_agent):
    return resolve(report, gestionnaire, service_agent)


def shoot(page, name, prefix="satisfaction"):
    if SHOTS.is_dir():
        for width in (1280, 320):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(SHOTS / f"{prefix}-{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def log_in(page, base, email):
    signalements_data.log_in(page, base, email)
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()


def test_reporter_rates_with_the_keyboard_then_cannot_rate_again(page, live_server, resolved):
    page.goto(live_server.url + resolved.get_tracking_url())
    question = page.get_by_role("group", name="Le problème est-il réglé ?")
    expect(question).to_be_visible()
    rating = page.get_by_role(
        "group", name="Votre satisfaction sur le traitement du signalement (facultatif)"
    )
    expect(rating.get_by_role("radio")).to_have_count(5)
    # Sent empty: a French error, focus-free announcement by role="alert", nothing saved.
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient 1 erreur")
    expect(page.locator("#id_probleme_regle_error")).to_have_text("Indiquez si le problème est réglé.")
    shoot(page, "erreur")
    # Keyboard only: arrows move within a radio group.
    page.get_by_role("radio", name="Oui").focus()
    page.keyboard.press("Space")
    page.get_by_role("radio", name="1 (très insatisfait)").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="4", exact=True)).to_be_checked()
    page.get_by_label("Commentaire (facultatif)").fill("Rapide, merci.")
    shoot(page, "formulaire")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_role("status")).to_have_text("Merci pour votre avis.")
    expect(page.locator("#avis")).to_contain_text("satisfaction 4 sur 5")
    shoot(page, "merci")
    avis = Avis.objects.get()
    assert (avis.probleme_regle, avis.note, avis.commentaire) == (True, 4, "Rapide, merci.")
    expect(page.get_by_role("button", name="Envoyer mon avis")).to_have_count(0)


def test_service_picks_a_template_that_fills_the_note(page, live_server, report, gestionnaire, service_agent):
    workflow.transition(report, S.TRANSMIS, user=gestionnaire)
    workflow.transition(report, S.PRIS_EN_CHARGE, user=service_agent)
    ModeleReponse.objects.create(
        titre="Intervention planifiée",
        texte="Intervention le {date_prevue} à {commune} ({reference}).",
        usage=UsageModele.SERVICE,
        statut=S.PLANIFIE,
    )
    ModeleReponse.objects.create(
        titre="Résolu", texte="Réglé par {service}.", usage=UsageModele.SERVICE, statut=S.RESOLU
    )
    log_in(page, live_server.url, service_agent.email)
    page.goto(live_server.url + f"/signalements/gestion/{report.pk}/")
    status = page.get_by_label("Nouvel état")
    modele = page.get_by_label("Modèle de réponse")
    date = page.get_by_label("Date d'intervention prévue (si planifié)")
    status.select_option(label="Résolu")
    expect(date).to_be_hidden()
    modele.select_option(label="Résolu (état « Résolu »)")
    expect(page.get_by_label("Note", exact=True)).to_have_value("Réglé par Propreté Marseille.")
    expect(page.locator("#modele-statut")).to_contain_text("La note est remplie avec le modèle")
    expect(page.locator("#modele-statut")).not_to_contain_text("{date_prevue}")
    # Another status keeps only its templates; the one chosen is dropped.
    status.select_option(label="Intervention planifiée")
    expect(date).to_be_visible()
    expect(modele).to_have_value("")
    modele.select_option(label="Intervention planifiée (état « Intervention planifiée »)")
    expect(page.get_by_label("Note", exact=True)).to_have_value(
        f"Intervention le {{date_prevue}} à Marseille ({report.reference})."
    )
    expect(page.locator("#modele-statut")).to_contain_text("{date_prevue} sera remplacé par la date prévue")
    day = timezone.localdate() + timedelta(days=2)
    date.fill(day.isoformat())
    shoot(page, "transition", prefix="reponses")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".notice-success")).to_contain_text("Intervention planifiée")
    day_text = formats.date_format(day, "j F Y")
    expect(page.locator(".timeline")).to_contain_text(f"Intervention le {day_text} à Marseille")
    report.refresh_from_db()
    assert report.date_intervention_prevue == day
    page.goto(live_server.url + report.get_tracking_url())
    expect(page.locator(".facts")).to_contain_text(f"le {day_text}")


def test_template_page_and_dashboard_at_both_widths(page, live_server, marseille, categories, resolved):
    Avis.objects.create(
        signalement=resolved, probleme_regle=True, note=5, categorie=resolved.categorie, commune=marseille
    )
    ModeleReponse.objects.create(
        titre="Passage de la benne", texte="Passage le {date_prevue}.", commune=marseille
    )
    admin = UserFactory(role=Role.ADMIN_COMMUNAL, communes=[marseille])
    log_in(page, live_server.url, admin.email)
    page.get_by_role("link", name="Modèles de réponse des signalements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modèles de réponse")
    shoot(page, "modeles", prefix="reponses")
    page.get_by_role("link", name="Nouveau modèle").click()
    page.get_by_label("Titre").fill("Mauvaise variable")
    page.get_by_label("Texte de la note").fill("Bonjour {prenom}")
    page.get_by_role("button", name="Enregistrer le modèle").click()
    expect(page.locator(".error-text")).to_contain_text("Variable inconnue : {prenom}.")
    shoot(page, "modele-erreur", prefix="reponses")
    page.goto(live_server.url + "/signalements/tableau-de-bord/13055/")
    expect(page.locator('[data-figure="satisfaction"]')).to_have_attribute("data-rendered", "true")
    page.locator("#satisfaction-titre").scroll_into_view_if_needed()
    shoot(page, "tableau-de-bord")
