"""Satisfaction on the élus' dashboard: response rate and share « réglé » by category, service and
commune (never by agent), within the scope and filters, in one query."""

import re
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from observatoire.accounts.enums import Role
from signalements.dashboard.stats import period
from signalements.enums import Status
from signalements.models import Avis, Signalement
from signalements.satisfaction import stats
from tests.factories import UserFactory

S = Status
METROPOLE_URL = "/signalements/tableau-de-bord/"
MARSEILLE_URL = "/signalements/tableau-de-bord/13055/"


def resolved(
    commune, categorie, *, service=None, email="a@exemple.fr", days_ago=10, avis=None, status=S.RESOLU
):
    now = timezone.now()
    report = Signalement.objects.create(
        commune=commune,
        categorie=categorie,
        service=service,
        geom=Point(893000, 6247000, srid=2154),
        description="Test.",
        status=status,
        created_at=now - timedelta(days=days_ago + 3),
        resolved_at=now - timedelta(days=days_ago),
        reporter_email=email,
    )
    if avis is not None:
        regle, note = avis
        Avis.objects.create(
            signalement=report,
            probleme_regle=regle,
            note=note,
            categorie=categorie,
            service=service,
            commune=commune,
        )
    return report


@pytest.fixture
def jeu(marseille, aix, categories, service_marseille):
    proprete, voirie = categories["proprete"], categories["voirie"]
    resolved(marseille, proprete, service=service_marseille, avis=(True, 5))
    resolved(marseille, proprete, service=service_marseille, avis=(True, 3))
    resolved(marseille, proprete, service=service_marseille, avis=(False, 1), status=S.REOUVERT)
    resolved(marseille, proprete, service=service_marseille)  # invited, no answer
    resolved(marseille, voirie, email="")  # not invited: left out
    resolved(aix, voirie, avis=(True, None))
    resolved(aix, voirie, email="", avis=(False, 2))  # e-mail erased since: still counted
    resolved(aix, voirie, days_ago=400, avis=(True, 5))  # outside the period
    resolved(aix, voirie, status=S.REJETE, avis=None, email="x@exemple.fr").__class__.objects.filter(
        status=S.REJETE
    ).update(rejection_reason="spam")  # spam is never counted
    return marseille, aix


def test_figures_by_category_service_commune_in_one_query(jeu, django_assert_num_queries):
    with django_assert_num_queries(1):
        data = stats.satisfaction(None, None, period(12))
    total = data["total"]
    assert (total["invites"], total["reponses"], total["regles"], total["notes"]) == (6, 5, 3, 4)
    assert total["note_moyenne"] == pytest.approx((5 + 3 + 1 + 2) / 4)
    by_category = {row["nom"]: row for row in data["categorie"]}
    assert (by_category["Propreté"]["invites"], by_category["Propreté"]["reponses"]) == (4, 3)
    assert by_category["Propreté"]["taux_reponse"] == pytest.approx(0.75)
    assert by_category["Propreté"]["part_regle"] == pytest.approx(2 / 3)
    assert (by_category["Voirie et trottoirs"]["invites"], by_category["Voirie et trottoirs"]["regles"]) == (
        2,
        1,
    )
    assert {row["nom"]: row["invites"] for row in data["service"]} == {
        "Propreté Marseille": 4,
        "Service non désigné": 2,
    }
    assert {row["insee"]: row["reponses"] for row in data["commune"]} == {"13055": 3, "13001": 2}
    # Never by person: no row names an agent or a reporter.
    for rows in (data["categorie"], data["service"], data["commune"]):
        for row in rows:
            assert not {"agent", "user", "by", "reporter", "email"} & set(row)


def test_scope_and_category_filter(jeu, categories):
    marseille, _ = jeu
    data = stats.satisfaction(marseille, None, period(12))
    assert data["total"]["invites"] == 4
    assert [row["nom"] for row in data["commune"]] == ["Marseille"]
    only_voirie = stats.satisfaction(None, categories["voirie"], period(12))
    assert only_voirie["total"]["invites"] == 2
    # A period that starts after every resolution: nobody invited.
    assert stats.satisfaction(None, None, period(1, now=timezone.now() + timedelta(days=60)))["total"] is None


def test_dashboard_shows_the_block_with_chart_and_tables(client, jeu):
    client.force_login(UserFactory(role=Role.ELU))
    response = client.get(METROPOLE_URL)
    page = response.content.decode()
    assert "Satisfaction des auteurs de signalements" in page
    assert re.search(r'id="kpi-satisfaction-reponse"><strong>83 %</strong> de réponses', page)
    assert 'data-figure="satisfaction"' in page
    assert "satisfaction" in response.context["figures"]
    assert "Satisfaction par commune" in page and "jamais par agent" in page


def test_communal_admin_sees_only_his_commune(client, jeu):
    marseille, _ = jeu
    client.force_login(UserFactory(role=Role.ADMIN_COMMUNAL, communes=[marseille]))
    response = client.get(MARSEILLE_URL)
    satisfaction = response.context["satisfaction"]
    assert satisfaction["total"]["invites"] == 4
    assert "Satisfaction par commune" not in response.content.decode()
    assert client.get("/signalements/tableau-de-bord/13001/").status_code == 403


def test_empty_period_says_so(client, territoire):
    client.force_login(UserFactory(role=Role.ELU))
    assert "Aucun auteur n'a encore été invité" in client.get(METROPOLE_URL).content.decode()
