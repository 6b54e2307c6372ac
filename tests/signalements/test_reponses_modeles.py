"""Response templates' back-office page: who manages which, placeholders checked at save."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from observatoire.accounts.enums import Role
from signalements.reponses import placeholders
from signalements.reponses.models import ModeleReponse, UsageModele
from tests.factories import UserFactory

LIST = reverse("signalements:gestion-modeles")
NEW = reverse("signalements:gestion-modele-nouveau")


def payload(commune=None, **extra):
    return {
        "titre": "Intervention planifiée",
        "texte": "Intervention le {date_prevue} à {commune} ({reference}).",
        "categorie": "",
        "commune": commune.pk if commune else "",
        "usage": UsageModele.SERVICE,
        "statut": "planifie",
        "is_active": "on",
        **extra,
    }


@pytest.fixture
def admin_marseille(marseille):
    return UserFactory(role=Role.ADMIN_COMMUNAL, communes=[marseille])


@pytest.fixture
def superadmin(territoire):
    return UserFactory(role=Role.SUPERADMIN)


@pytest.fixture
def modeles(marseille, aix):
    return {
        "metropole": ModeleReponse.objects.create(titre="Métropole", texte="Merci ({reference})."),
        "marseille": ModeleReponse.objects.create(
            titre="Marseille", texte="Passage prévu.", commune=marseille
        ),
        "aix": ModeleReponse.objects.create(titre="Aix", texte="Diagnostic.", commune=aix),
    }


def test_communal_admin_creates_for_his_commune_only(client, admin_marseille, marseille, aix):
    client.force_login(admin_marseille)
    response = client.post(NEW, payload(marseille))
    assert response.status_code == 302
    modele = ModeleReponse.objects.get()
    assert (modele.commune, modele.updated_by, modele.statut) == (marseille, admin_marseille, "planifie")
    # Another commune is not even a choice; the metropolis neither.
    refused = client.post(NEW, payload(aix))
    assert refused.status_code == 200
    assert "Sélectionnez un choix valide" in refused.content.decode()
    assert client.post(NEW, payload(None)).status_code == 200
    assert ModeleReponse.objects.count() == 1


def test_unknown_placeholder_is_refused_in_french(client, admin_marseille, marseille):
    client.force_login(admin_marseille)
    response = client.post(NEW, payload(marseille, texte="Bonjour {prenom}, passage le {date}. {reference}"))
    page = response.content.decode()
    assert "Variables inconnues : {prenom}, {date}." in page
    assert "{date_prevue}" in page  # the list of possible ones is given
    assert not ModeleReponse.objects.exists()
    assert placeholders.unknown("{reference} {commune} {categorie} {date_prevue} {service}") == []


def test_list_shows_scope_and_who_may_edit(client, admin_marseille, modeles):
    client.force_login(admin_marseille)
    page = client.get(LIST).content.decode()
    assert "Métropole" in page and "Marseille" in page
    assert ">Aix<" not in page  # outside his scope
    assert reverse("signalements:gestion-modele", args=[modeles["marseille"].pk]) in page
    assert reverse("signalements:gestion-modele", args=[modeles["metropole"].pk]) not in page
    assert "Lecture seule" in page


@pytest.mark.parametrize(
    ("who", "modele", "allowed"),
    [
        ("admin_marseille", "marseille", True),
        ("admin_marseille", "aix", False),
        ("admin_marseille", "metropole", False),
        ("superadmin", "metropole", True),
        ("superadmin", "aix", True),
        ("gestionnaire", "marseille", False),
    ],
)
def test_edit_and_deactivate_matrix(client, request, modeles, who, modele, allowed):
    user = request.getfixturevalue(who)
    client.force_login(user)
    target = modeles[modele]
    edit = client.get(reverse("signalements:gestion-modele", args=[target.pk]))
    deactivate = client.post(
        reverse("signalements:gestion-modele-activation", args=[target.pk]), {"actif": "0"}
    )
    target.refresh_from_db()
    if allowed:
        assert edit.status_code == 200
        assert deactivate.status_code == 302
        assert target.is_active is False
    else:
        assert edit.status_code == 403
        assert deactivate.status_code == 403
        assert target.is_active is True


def test_superadmin_creates_a_metropolis_template(client, superadmin):
    client.force_login(superadmin)
    assert client.post(NEW, payload(None)).status_code == 302
    assert ModeleReponse.objects.get().commune is None


def test_readers_and_refusals(client, gestionnaire, modeles, marseille):
    client.force_login(gestionnaire)
    page = client.get(LIST).content.decode()
    assert "Nouveau modèle" not in page and "Marseille" in page
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, payload(marseille)).status_code == 403
    client.force_login(UserFactory(role=Role.CITOYEN))
    assert client.get(LIST).status_code == 403
    client.force_login(UserFactory(role=Role.ELU))
    assert client.get(LIST).status_code == 403


def test_edit_keeps_the_commune_check(client, admin_marseille, modeles, aix):
    """Moving one's own template to a commune outside the scope is refused."""
    client.force_login(admin_marseille)
    url = reverse("signalements:gestion-modele", args=[modeles["marseille"].pk])
    response = client.post(url, payload(aix, titre="Déplacé"))
    assert response.status_code == 200
    modeles["marseille"].refresh_from_db()
    assert modeles["marseille"].titre == "Marseille"
    ok = client.post(url, payload(modeles["marseille"].commune, titre="Renommé"))
    assert ok.status_code == 302
    modeles["marseille"].refresh_from_db()
    assert modeles["marseille"].titre == "Renommé"


def test_space_is_reachable_from_mon_compte(client, admin_marseille):
    client.force_login(admin_marseille)
    page = client.get(reverse("profile")).content.decode()
    assert LIST in page


def test_list_queries_do_not_grow_with_the_templates(client, superadmin, marseille):
    client.force_login(superadmin)

    def queries_for(count):
        ModeleReponse.objects.all().delete()
        for n in range(count):
            ModeleReponse.objects.create(
                titre=f"Modèle {n}", texte="Merci.", commune=marseille if n % 2 else None
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    assert queries_for(3) == queries_for(30)
