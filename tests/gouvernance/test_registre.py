import csv
import io

import pytest

from gouvernance.models import JeuDeDonnees, Traitement
from gouvernance.models.registre import preregister
from observatoire.accounts.enums import Role
from tests.factories import OrganisationFactory, UserFactory

PAGES = [
    "/gouvernance/registre/",
    "/gouvernance/registre/signalements/",
    "/gouvernance/registre/export.csv",
    "/gouvernance/registre/export.pdf",
    "/gouvernance/registre/signalements/fiche.pdf",
]


@pytest.fixture
def registre(settings):
    settings.SIGNALEMENT_PERSONAL_DATA_MONTHS = 12
    preregister()
    return Traitement.objects.get(code="signalements")


def test_reporting_module_is_preregistered(registre):
    assert registre.base_legale == "6-1-e"
    assert "photographies" in registre.categories_donnees
    assert "effacées 12 mois après la clôture" in registre.duree_conservation
    assert preregister() == 0  # idempotent, and an edited entry is kept


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.DPO, True),
        (Role.AGD, True),
        (Role.SUPERADMIN, True),
        (Role.AGENT_METROPOLITAIN, False),
        (Role.RSSI, False),
        (Role.PARTENAIRE, False),
    ],
)
def test_register_pages_per_role(client, registre, role, allowed):
    client.force_login(UserFactory(role=role, is_superuser=role == Role.SUPERADMIN))
    statuses = {path: client.get(path).status_code for path in PAGES}
    assert statuses == dict.fromkeys(PAGES, 200 if allowed else 403)


def test_register_needs_a_login(client, registre):
    assert client.get("/gouvernance/registre/").status_code == 302


def test_csv_export_reads_back(client, registre):
    jeu = JeuDeDonnees.objects.create(
        slug="signalements-complets",
        titre="Signalements complets",
        description="-",
        theme="espace_public",
        producteur="Métropole",
        frequence="CONT",
        sensibilite="personnel",
        base_legale="Art. 6-1-e",
    )
    registre.jeux.add(jeu)
    Traitement.objects.create(
        code="archive",
        nom="Ancien traitement",
        finalite="-",
        base_legale="6-1-a",
        categories_donnees="-",
        personnes_concernees="-",
        destinataires="-",
        duree_conservation="-",
        mesures_securite="-",
        actif=False,
    )
    client.force_login(UserFactory(role=Role.DPO))
    response = client.get("/gouvernance/registre/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="registre-traitements-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [r["Traitement"] for r in rows] == ["Signalements de dysfonctionnements dans l'espace public"]
    row = rows[0]
    assert row["Base légale"] == "Mission d'intérêt public (art. 6-1-e)"
    assert row["Jeux de données"] == "Signalements complets"
    assert row["Durée de conservation"] == registre.duree_conservation


def test_pdf_export_contains_the_treatments(client, registre):
    client.force_login(UserFactory(role=Role.AGD))
    body = client.get("/gouvernance/registre/export.pdf").content
    assert body.startswith(b"%PDF-")
    assert "Signalements de dysfonctionnements dans l'espace public".encode("latin-1") in body
    assert "Mission d'intérêt public".encode("latin-1") in body  # parentheses are escaped in PDF


def test_recipient_organisations_are_queryable(registre):
    jeu = JeuDeDonnees.objects.create(
        slug="jeu-perso",
        titre="Jeu",
        description="-",
        theme="espace_public",
        producteur="M",
        frequence="CONT",
        sensibilite="personnel",
        base_legale="Art. 6-1-e",
    )
    partner, other = OrganisationFactory(nom="AGAM"), OrganisationFactory(nom="Autre")
    registre.jeux.add(jeu)
    registre.destinataires_organisations.add(partner)
    assert Traitement.objects.listing_recipient(partner, jeu).exists()
    assert not Traitement.objects.listing_recipient(other, jeu).exists()


def test_csv_export_neutralises_formulas(client, registre):
    Traitement.objects.filter(pk=registre.pk).update(
        nom='=HYPERLINK("http://x")', finalite="-2+3", service="@SUM(1)"
    )
    client.force_login(UserFactory(role=Role.DPO))
    response = client.get("/gouvernance/registre/export.csv")
    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert (row["Traitement"], row["Finalité"], row["Service"]) == (
        '\'=HYPERLINK("http://x")',
        "'-2+3",
        "'@SUM(1)",
    )
