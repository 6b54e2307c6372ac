"""Back office details (issue 10, item 14): search by reference, the category change log in
words, no « Repère déplacé de 0 m »."""

import pytest
from django.contrib.auth.models import AnonymousUser

from observatoire.accounts.enums import Role
from signalements import services, triage
from signalements.models import CategorieCommuneChange
from tests.factories import UserFactory

from .conftest import VIEUX_PORT
from .test_backoffice import settings_post

QUEUE = "/signalements/gestion/"


@pytest.fixture
def two_reports(marseille_setup, categories):
    return [
        services.file_signalement(
            user=AnonymousUser(), categorie=categories["proprete"], description=text, **VIEUX_PORT
        )
        for text in ("Dépôt sauvage de gravats.", "Poubelle renversée place Castellane.")
    ]


@pytest.mark.parametrize("how", ["exact", "prefix", "number", "lowercase"])
def test_queue_finds_a_report_by_its_reference(client, two_reports, gestionnaire, how):
    client.force_login(gestionnaire)
    report = two_reports[1]
    query = {
        "exact": report.reference,
        "prefix": report.reference[:-1],
        "number": str(report.pk),
        "lowercase": report.reference.lower(),
    }[how]
    response = client.get(QUEUE, {"q": query})
    assert report.reference in response.content.decode()
    if how != "prefix":
        assert list(response.context["signalements"]) == [report]


def test_queue_finds_reports_by_words_without_accents(client, two_reports, gestionnaire):
    client.force_login(gestionnaire)
    response = client.get(QUEUE, {"q": "depot gravats"})
    assert list(response.context["signalements"]) == [two_reports[0]]
    assert not client.get(QUEUE, {"q": "S-1999-"}).context["signalements"]


def test_search_stays_within_the_agents_communes(client, two_reports, aix):
    client.force_login(UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS, communes=[aix]))
    assert not client.get(QUEUE, {"q": two_reports[0].reference}).context["signalements"]


def test_category_log_shows_what_changed_and_only_that(client, marseille, categories):
    client.force_login(UserFactory(role=Role.ADMIN_COMMUNAL, communes=[marseille]))
    url = "/signalements/gestion/categories/13055/"
    client.post(url, settings_post(categories, {}))
    first = CategorieCommuneChange.objects.count()
    # Saving the same settings again changes nothing: no line.
    client.post(url, settings_post(categories, {}))
    assert CategorieCommuneChange.objects.count() == first
    # An edit of the explanation alone is logged, and shown.
    client.post(
        url, settings_post(categories, {"eau-explication": "Le distributeur d'eau traite ces demandes."})
    )
    assert CategorieCommuneChange.objects.count() == first + 1
    change = CategorieCommuneChange.objects.first()
    assert change.differences({}) == [
        ("Explication", "Pas encore traité en ligne.", "Le distributeur d'eau traite ces demandes.")
    ]
    page = client.get(url).content.decode()
    assert "Explication : Le distributeur d&#x27;eau traite ces demandes." in page


def test_category_log_names_services_and_labels(marseille, categories, service_marseille, open_category):
    row = open_category(marseille, categories["proprete"], service=service_marseille, delai_cible_jours=3)
    change = CategorieCommuneChange(ouverture=row, before=None, after=row.snapshot())
    assert change.differences({service_marseille.pk: service_marseille.nom}) == [
        ("Ouverture", "Fermée", "Ouverte aux agents et aux habitants"),
        ("Délai cible", "—", "3 jours"),
        ("Service", "—", "Propreté Marseille"),
    ]


def test_first_save_with_default_settings_is_no_change(marseille, categories):
    from signalements.models import CategorieCommune

    row = CategorieCommune.objects.create(commune=marseille, categorie=categories["voirie"])
    services.log_activation_change(row, None, None)
    assert not CategorieCommuneChange.objects.exists()


def test_requalifying_without_moving_the_pin_logs_no_move(two_reports, gestionnaire, categories):
    report = two_reports[0]
    # The form sends the pin back as it shows it: rounded to 6 decimals.
    changes = triage.requalify(
        report, gestionnaire, lon=round(VIEUX_PORT["lon"], 6), lat=round(VIEUX_PORT["lat"], 6)
    )
    assert changes == []
    assert not report.historique.filter(note__contains="Repère déplacé").exists()
    changes = triage.requalify(report, gestionnaire, lon=VIEUX_PORT["lon"], lat=VIEUX_PORT["lat"] + 0.02)
    assert changes == ["Repère déplacé de 2,2 km"]


@pytest.mark.parametrize(
    ("metres", "shown"), [(0.6, "1 m"), (12.4, "12 m"), (999.7, "1,0 km"), (2224, "2,2 km"), (15400, "15 km")]
)
def test_distances_read_as_on_a_map(metres, shown):
    assert triage.format_distance(metres) == shown
