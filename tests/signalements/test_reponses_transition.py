"""Response templates in the transition form: offered by category, commune, usage and status;
the note filled server-side with its placeholders resolved; the planned date for « planifié »."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from signalements import workflow
from signalements.enums import Status
from signalements.reponses.models import ModeleReponse, UsageModele

S = Status


@pytest.fixture
def taken(report, gestionnaire, service_agent):
    workflow.transition(report, S.TRANSMIS, user=gestionnaire)
    workflow.transition(report, S.PRIS_EN_CHARGE, user=service_agent)
    report.refresh_from_db()
    return report


@pytest.fixture
def modeles(marseille, aix, categories):
    make = ModeleReponse.objects.create
    return {
        "planifie": make(
            titre="Planifié",
            texte="{reference} : intervention le {date_prevue} à {commune} par {service} ({categorie}).",
            usage=UsageModele.SERVICE,
            statut=S.PLANIFIE,
        ),
        "resolu_marseille": make(
            titre="Résolu Marseille",
            texte="Réglé.",
            usage=UsageModele.TOUS,
            statut=S.RESOLU,
            commune=marseille,
        ),
        "aix": make(titre="Aix seulement", texte="Aix.", usage=UsageModele.SERVICE, commune=aix),
        "eclairage": make(titre="Éclairage", texte="Lampe.", categorie=categories["eclairage"]),
        "tri": make(titre="Tri seulement", texte="Tri.", usage=UsageModele.TRI),
        "inactif": make(titre="Inactif", texte="Vieux.", is_active=False),
    }


def detail(report):
    return reverse("signalements:gestion-detail", args=[report.pk])


def post(report):
    return reverse("signalements:gestion-transition", args=[report.pk])


def test_service_sees_only_the_templates_that_apply(client, taken, service_agent, modeles):
    client.force_login(service_agent)
    response = client.get(detail(taken))
    form = response.context["transition_form"]
    assert set(form.fields["modele"].queryset) == {modeles["planifie"], modeles["resolu_marseille"]}
    page = response.content.decode()
    assert "Planifié (état « Intervention planifiée »)" in page
    # The texts the script puts in the note are resolved by the server; the date waits for the form.
    texts = response.context["modeles_reponse"]
    assert texts[str(modeles["planifie"].pk)]["texte"] == (
        f"{taken.reference} : intervention le {{date_prevue}} à Marseille par Propreté Marseille (Propreté)."
    )
    assert 'id="modeles-reponse"' in page and "js/modeles-reponse.js" in page
    assert 'aria-live="polite"' in page


def test_gestionnaire_gets_triage_templates(client, report, gestionnaire, modeles):
    client.force_login(gestionnaire)
    form = client.get(detail(report)).context["transition_form"]
    assert set(form.fields["modele"].queryset) == {modeles["resolu_marseille"], modeles["tri"]}
    assert "date_intervention_prevue" not in form.fields  # « planifié » is not a target here


def test_choosing_a_template_without_script_fills_the_note(client, taken, service_agent, modeles):
    client.force_login(service_agent)
    day = timezone.localdate() + timedelta(days=3)
    response = client.post(
        post(taken),
        {"to_status": S.PLANIFIE, "modele": modeles["planifie"].pk, "note": "", "is_public": "on",
         "date_intervention_prevue": day.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    taken.refresh_from_db()
    assert taken.status == S.PLANIFIE
    assert taken.date_intervention_prevue == day
    note = taken.historique.last().note
    assert note == (
        f"{taken.reference} : intervention le {formats.date_format(day, 'j F Y')} à Marseille "
        "par Propreté Marseille (Propreté)."
    )
    # The reporter sees the date on the tracking page, and the note in the mail.
    page = client.get(taken.get_tracking_url()).content.decode()
    assert "Intervention prévue" in page
    assert formats.date_format(day, "j F Y") in page


def test_an_edited_note_is_kept_with_its_placeholders_resolved(client, taken, service_agent, modeles):
    client.force_login(service_agent)
    day = timezone.localdate() + timedelta(days=1)
    client.post(
        post(taken),
        {"to_status": S.PLANIFIE, "modele": modeles["planifie"].pk, "is_public": "on",
         "note": "Passage le {date_prevue}, merci.", "date_intervention_prevue": day.isoformat()},
    )  # fmt: skip
    taken.refresh_from_db()
    assert taken.historique.last().note == f"Passage le {formats.date_format(day, 'j F Y')}, merci."


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"to_status": S.PLANIFIE}, "Indiquez la date d&#x27;intervention prévue."),
        ({"to_status": S.PLANIFIE, "date_intervention_prevue": "2020-01-01"}, "ne peut pas être passée"),
        (
            {"to_status": S.RESOLU, "modele": "planifie"},
            "Ce modèle est prévu pour l&#x27;état « Intervention planifiée »",
        ),
        ({"to_status": S.RESOLU, "modele": "aix"}, "Sélectionnez un choix valide"),
    ],
)
def test_refusals_change_nothing(client, taken, service_agent, modeles, data, error):
    client.force_login(service_agent)
    if "modele" in data:
        data = {**data, "modele": modeles[data["modele"]].pk}
    response = client.post(post(taken), data, follow=True)
    assert error in response.content.decode()
    taken.refresh_from_db()
    assert taken.status == S.PRIS_EN_CHARGE
    assert taken.date_intervention_prevue is None


def test_api_transition_sets_the_planned_date(taken, service_agent):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(service_agent)
    url = reverse("signalements-api:signalement-transitions", args=[taken.pk])
    day = timezone.localdate() + timedelta(days=4)
    response = api.post(
        url, {"to_status": S.PLANIFIE, "date_intervention_prevue": day.isoformat()}, format="json"
    )
    assert response.status_code == 200
    taken.refresh_from_db()
    assert (taken.status, taken.date_intervention_prevue) == (S.PLANIFIE, day)
    bad = api.post(url, {"to_status": S.RESOLU, "date_intervention_prevue": "demain"}, format="json")
    assert bad.status_code == 400
    assert "date_intervention_prevue" in bad.json()["errors"]


def test_open311_gives_the_planned_day_as_expected_datetime(client, taken, service_agent):
    day = timezone.localdate() + timedelta(days=5)
    workflow.transition(taken, S.PLANIFIE, user=service_agent, date_prevue=day)
    data = client.get(f"/open311/v2/requests/{taken.pk}.json").json()[0]
    expected = datetime.fromisoformat(data["expected_datetime"])
    assert (timezone.localtime(expected).date(), timezone.localtime(expected).time()) == (day, time.min)
