import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser

from observatoire.accounts.enums import Role
from signalements import services, workflow
from signalements.enums import Ouverture, PhotoKind, ServiceType, Status
from signalements.models import Categorie, CategorieCommune, CategorieCommuneChange, Notification, Service
from tests.factories import UserFactory

from .conftest import AIX_CENTRE, VIEUX_PORT, image_file

QUEUE = "/signalements/gestion/"


@pytest.fixture
def reports(marseille_setup, categories, aix, open_category):
    open_category(aix, categories["proprete"], Ouverture.TOUS)
    marseille_report = services.file_signalement(
        user=AnonymousUser(),
        categorie=categories["proprete"],
        description="Marseille.",
        email="secret@exemple.fr",
        ip="198.51.100.4",
        **VIEUX_PORT,
    )
    aix_report = services.file_signalement(
        user=AnonymousUser(), categorie=categories["proprete"], description="Aix.", **AIX_CENTRE
    )
    return marseille_report, aix_report


@pytest.mark.parametrize(
    ("role", "communes", "status"),
    [
        (Role.GESTIONNAIRE_SIGNALEMENTS, [], 200),
        (Role.CITOYEN, [], 403),
        (Role.AGENT_COMMUNAL, ["13055"], 403),
        (Role.ELU, [], 403),
    ],
)
def test_triage_queue_access(client, reports, marseille, role, communes, status):
    client.force_login(UserFactory(role=role, communes=[marseille] if communes else []))
    assert client.get(QUEUE).status_code == status


def test_anonymous_is_sent_to_login(client, reports):
    assert client.get(QUEUE)["Location"].startswith("/comptes/login/")


def test_scoped_gestionnaire_sees_only_his_communes(client, reports, aix):
    client.force_login(UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS, communes=[aix]))
    content = client.get(QUEUE).content.decode()
    assert reports[1].reference in content
    assert reports[0].reference not in content
    assert client.get(f"/signalements/gestion/{reports[0].pk}/").status_code == 403


def test_queue_filters_and_default_statuses(client, reports, gestionnaire, categories):
    client.force_login(gestionnaire)
    workflow.transition(reports[0], Status.TRANSMIS, user=gestionnaire)
    default = client.get(QUEUE).content.decode()
    assert reports[1].reference in default and reports[0].reference not in default
    transmitted = client.get(QUEUE, {"status": "transmis"}).content.decode()
    assert reports[0].reference in transmitted
    assert reports[1].reference not in client.get(QUEUE, {"photo": "avec"}).content.decode()


def test_queue_query_count_is_bounded(client, reports, gestionnaire, django_assert_max_num_queries):
    client.force_login(gestionnaire)
    with django_assert_max_num_queries(12):
        assert client.get(QUEUE).status_code == 200


def test_csv_export_has_no_personal_data(client, reports, gestionnaire):
    client.force_login(gestionnaire)
    response = client.get(QUEUE, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Référence", "Commune", "Catégorie"]
    assert {row[0] for row in rows[1:]} == {reports[0].reference, reports[1].reference}
    assert "secret@exemple.fr" not in text and "198.51.100.4" not in text and reports[0].token not in text


def test_detail_shows_contact_to_gestionnaire_only(client, reports, gestionnaire, service_marseille):
    client.force_login(gestionnaire)
    url = f"/signalements/gestion/{reports[0].pk}/"
    assert "secret@exemple.fr" in client.get(url).content.decode()
    workflow.transition(reports[0], Status.TRANSMIS, user=gestionnaire)
    agent = UserFactory(role=Role.AGENT_METROPOLITAIN)
    service_marseille.members.add(agent)
    client.force_login(agent)
    page = client.get(url)
    assert page.status_code == 200
    assert "secret@exemple.fr" not in page.content.decode()
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    assert client.get(url).status_code == 403


def test_web_transition_and_its_errors(client, reports, gestionnaire):
    client.force_login(gestionnaire)
    url = f"/signalements/gestion/{reports[0].pk}/transition/"
    response = client.post(url, {"to_status": "rejete", "note": "x"}, follow=True)
    assert "Indiquez le motif" in response.content.decode()
    reports[0].refresh_from_db()
    assert reports[0].status == Status.NOUVEAU
    client.post(url, {"to_status": "transmis", "note": "Transmis à la propreté.", "is_public": "on"})
    reports[0].refresh_from_db()
    assert reports[0].status == Status.TRANSMIS
    assert reports[0].service.nom == "Propreté Marseille"


def test_requalification_moves_the_pin_and_routing_follows(
    client, reports, gestionnaire, categories, marseille, open_category
):
    voirie_service = Service.objects.create(
        nom="Voirie Marseille", type=ServiceType.METROPOLITAIN, email="voirie@exemple.fr"
    )
    open_category(marseille, categories["voirie"], Ouverture.TOUS, voirie_service)
    report = reports[0]
    workflow.transition(report, Status.TRANSMIS, user=gestionnaire)
    client.force_login(gestionnaire)
    response = client.post(
        f"/signalements/gestion/{report.pk}/requalifier/",
        {"categorie": categories["voirie"].pk, "lat": VIEUX_PORT["lat"] + 0.001, "lon": VIEUX_PORT["lon"]},
        follow=True,
    )
    assert "Réacheminé vers Voirie Marseille" in response.content.decode()
    report.refresh_from_db()
    assert report.categorie == categories["voirie"]
    assert report.service == voirie_service
    assert Notification.objects.filter(recipient="voirie@exemple.fr").exists()
    last = report.historique.last()
    assert not last.is_public and "Repère déplacé de 111 m" in last.note


def test_requalification_refuses_a_foreign_subcategory(client, reports, gestionnaire, categories):
    client.force_login(gestionnaire)
    nid = categories["voirie"].sous_categories.first()
    client.post(
        f"/signalements/gestion/{reports[0].pk}/requalifier/",
        {"categorie": categories["proprete"].pk, "sous_categorie": nid.pk},
    )
    reports[0].refresh_from_db()
    assert reports[0].sous_categorie is None


def test_service_adds_an_after_photo(client, reports, gestionnaire, service_marseille):
    workflow.transition(reports[0], Status.TRANSMIS, user=gestionnaire)
    agent = UserFactory(role=Role.AGENT_METROPOLITAIN)
    service_marseille.members.add(agent)
    client.force_login(agent)
    client.post(f"/signalements/gestion/{reports[0].pk}/photo/", {"photo": image_file("apres.jpg")})
    assert reports[0].photos.get().kind == PhotoKind.APRES
    assert "Signalements de mes services" in client.get("/comptes/profil/").content.decode()
    assert reports[0].reference in client.get("/signalements/gestion/service/").content.decode()


def settings_post(categories, overrides):
    data = {}
    for code in categories:
        data.update(
            {
                f"{code}-ouverture": "fermee",
                f"{code}-explication": "Pas encore traité en ligne.",
                f"{code}-canal_alternatif": "",
                f"{code}-delai_cible_jours": "",
                f"{code}-service": "",
            }
        )
    data.update(overrides)
    return data


def test_communal_admin_opens_a_category_and_the_change_is_logged(
    client, marseille, categories, service_marseille
):
    admin = UserFactory(role=Role.ADMIN_COMMUNAL, communes=[marseille])
    client.force_login(admin)
    assert (
        client.get("/signalements/gestion/categories/")["Location"]
        == "/signalements/gestion/categories/13055/"
    )
    response = client.post(
        "/signalements/gestion/categories/13055/",
        settings_post(
            categories,
            {
                "proprete-ouverture": "agents",
                "proprete-service": service_marseille.pk,
                "proprete-delai_cible_jours": "3",
            },
        ),
    )
    assert response.status_code == 302
    row = CategorieCommune.objects.get(commune=marseille, categorie=categories["proprete"])
    assert (row.ouverture, row.delai_cible_jours, row.service) == (Ouverture.AGENTS, 3, service_marseille)
    change = CategorieCommuneChange.objects.get(ouverture=row)
    assert change.changed_by == admin and change.before is None and change.after["ouverture"] == "agents"
    assert CategorieCommune.objects.filter(commune=marseille).count() == len(categories)


def test_closing_without_explanation_or_opening_without_service_saves_nothing(client, marseille, categories):
    client.force_login(UserFactory(role=Role.ADMIN_COMMUNAL, communes=[marseille]))
    response = client.post(
        "/signalements/gestion/categories/13055/",
        settings_post(categories, {"proprete-ouverture": "tous", "eau-explication": ""}),
    )
    content = response.content.decode()
    assert "Une catégorie ouverte doit avoir un service compétent." in content
    assert "Expliquez aux habitants pourquoi cette catégorie est fermée." in content
    assert not CategorieCommune.objects.filter(commune=marseille).exists()


@pytest.mark.parametrize(
    ("role", "status"), [(Role.ADMIN_COMMUNAL, 403), (Role.CITOYEN, 403), (Role.AGENT_COMMUNAL, 403)]
)
def test_category_settings_of_another_commune_are_refused(client, marseille, aix, categories, role, status):
    client.force_login(UserFactory(role=role, communes=[marseille]))
    assert client.get("/signalements/gestion/categories/13001/").status_code == status


def test_csv_export_neutralises_formulas_and_keeps_positions_as_numbers(
    client, reports, gestionnaire, categories
):
    Categorie.objects.filter(pk=categories["proprete"].pk).update(nom='=HYPERLINK("http://x")')
    client.force_login(gestionnaire)
    text = client.get(QUEUE, {"format": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {row["Catégorie"] for row in rows} == {'\'=HYPERLINK("http://x")'}
    marseille = next(row for row in rows if row["Référence"] == reports[0].reference)
    assert float(marseille["Longitude"]) == pytest.approx(VIEUX_PORT["lon"], abs=1e-6)
    assert float(marseille["Latitude"]) == pytest.approx(VIEUX_PORT["lat"], abs=1e-6)
