from datetime import date

import pytest
from django.core.files.base import ContentFile

from gouvernance.demo import load_demo_gouvernance
from gouvernance.models import Algorithme, Comite, Designation, DocumentGouvernance, Partenariat, Reunion
from gouvernance.models.algorithmes import sync_portal_algorithms
from gouvernance.models.documents import StatutDocument, Visibilite
from gouvernance.models.partenaires import SensFlux
from gouvernance.models.roles import Fonction
from observatoire.accounts.demo import load_demo_accounts
from observatoire.accounts.enums import Role
from tests.factories import OrganisationFactory, UserFactory


def status(client, url):
    """The status code; a file is read to its end, which lets the test client close it."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


@pytest.fixture
def documents(make_document, agd):
    public = make_document("charte-de-la-donnee")
    public.transition(
        StatutDocument.DELIBERE, by=agd, date_deliberation=date(2022, 6, 30), reference="NUM 005/22/CM"
    )
    internal = make_document("convention-secrete", visibilite=Visibilite.INTERNE)
    return public, internal


def test_public_page_lists_public_documents_only(client, documents):
    public, internal = documents
    content = client.get("/gouvernance/").content.decode()
    assert public.titre in content
    assert "Délibéré" in content
    assert "NUM 005/22/CM" in content
    assert f"/gouvernance/documents/{public.slug}/document.pdf" in content
    assert internal.titre not in content
    assert internal.slug not in content


def test_public_document_and_its_file_are_open(client, documents, pdf_bytes):
    public, _ = documents
    page = client.get(f"/gouvernance/documents/{public.slug}/")
    assert page.status_code == 200
    assert "30 juin 2022" in page.content.decode()
    response = client.get(f"/gouvernance/documents/{public.slug}/document.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes
    assert status(client, f"/gouvernance/documents/{public.slug}/versions/1.pdf") == 200
    assert status(client, f"/gouvernance/documents/{public.slug}/versions/2.pdf") == 404


@pytest.mark.parametrize(
    "path",
    [
        "/gouvernance/documents/{}/",
        "/gouvernance/documents/{}/document.pdf",
        "/gouvernance/documents/{}/versions/1.pdf",
    ],
)
def test_internal_document_is_hidden_from_anonymous_and_citizens(client, documents, path):
    _, internal = documents
    url = path.format(internal.slug)
    assert status(client, url) == 404
    client.force_login(UserFactory(role=Role.CITOYEN))
    assert status(client, url) == 404
    client.force_login(UserFactory(email="agent@exemple.fr", role=Role.AGENT_METROPOLITAIN))
    assert status(client, url) == 200


def test_roles_shown_by_function_without_personal_email(client):
    dpo = UserFactory(
        email="marc.laurent@metropole.fr", first_name="Marc", last_name="Laurent", role=Role.DPO
    )
    Designation.objects.create(
        fonction=Fonction.DPO,
        personne=dpo,
        service="Affaires juridiques",
        contact="dpo@metropole.fr",
        debut=date(2022, 1, 1),
    )
    Designation.objects.create(
        fonction=Fonction.DPO,
        nom="Élodie Garcia",
        delegue=True,
        contact="dpo@metropole.fr",
        debut=date(2022, 1, 1),
    )
    Designation.objects.create(  # ended: no longer shown
        fonction=Fonction.RSSI,
        nom="Ancien RSSI",
        contact="rssi@metropole.fr",
        debut=date(2019, 1, 1),
        fin=date(2021, 12, 31),
    )
    content = client.get("/gouvernance/").content.decode()
    assert "Marc Laurent" in content
    assert "Élodie Garcia</strong> (suppléance)" in content
    assert "mailto:dpo@metropole.fr" in content
    assert "marc.laurent@metropole.fr" not in content
    assert "Ancien RSSI" not in content
    assert "Fonction non pourvue" in content  # AGD and RSSI


def test_functional_mailbox_must_not_be_the_personal_address():
    person = UserFactory(email="marc.laurent@metropole.fr")
    designation = Designation(
        fonction=Fonction.DPO, personne=person, contact="Marc.Laurent@metropole.fr", debut=date(2022, 1, 1)
    )
    with pytest.raises(Exception, match="boîte fonctionnelle"):
        designation.full_clean()


def test_partners_and_next_meeting_on_public_page(client, make_document, agd):
    agam = OrganisationFactory(nom="Agence d'urbanisme de l'agglomération marseillaise", sigle="AGAM")
    Partenariat.objects.create(organisation=agam, sens_flux=SensFlux.RECIPROQUE)
    Partenariat.objects.create(
        organisation=OrganisationFactory(nom="Caché"), sens_flux=SensFlux.ENTRANT, public=False
    )
    convention = make_document("convention-agam", kind="convention", organisation=agam)
    convention.transition(
        StatutDocument.DELIBERE, by=agd, date_deliberation=date(2023, 1, 5), reference="URBA 1"
    )
    convention.transition(StatutDocument.EN_VIGUEUR, by=agd)
    comite = Comite.objects.create(nom="Comité de suivi des données")
    Reunion.objects.create(comite=comite, date=date(2020, 1, 15))
    Reunion.objects.create(comite=comite, date=date(2099, 3, 4))
    content = client.get("/gouvernance/").content.decode()
    assert "(AGAM)</td>" in content
    assert "Échanges dans les deux sens" in content
    assert '<td class="num">1</td>' in content
    assert "Caché" not in content
    assert "Prochaine réunion : mercredi 4 mars 2099" in content


def test_algorithms_page_is_public(client):
    sync_portal_algorithms()
    Algorithme.objects.filter(slug="classes-cartes").update(public=False)
    content = client.get("/gouvernance/algorithmes/").content.decode()
    assert "Détection des points noirs" in content
    assert "signalements/dashboard/hotspots.py" in content
    assert "Découpage en classes" not in content


def test_public_pages_send_a_strict_csp(client, documents):
    response = client.get("/gouvernance/")
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_agd_moves_a_status_through_the_admin(client, agd, pdf_bytes):
    client.force_login(agd)
    doc = DocumentGouvernance.objects.create(
        slug="rgd", titre="Règlement", type="reglement", visibilite="public"
    )
    url = f"/admin/gouvernance/documentgouvernance/{doc.pk}/change/"
    form = {
        "titre": "Règlement",
        "slug": "rgd",
        "type": "reglement",
        "visibilite": "public",
        "resume": "",
        "nouveau_statut": "delibere",
        "motif": "Conseil du 12 mars",
        **{f"{p}-TOTAL_FORMS": "0" for p in ("principes", "versions", "historique")},
        **{f"{p}-INITIAL_FORMS": "0" for p in ("principes", "versions", "historique")},
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Indiquez la date de la délibération." in response.content.decode()
    doc.refresh_from_db()
    assert doc.status == StatutDocument.EN_CONCEPTION

    form.update({"date_deliberation": "12/03/2026", "reference_deliberation": "NUM 044/26/CM"})
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    doc.refresh_from_db()
    assert doc.status == StatutDocument.DELIBERE
    entry = doc.historique.get()
    assert (entry.by, entry.motif) == (agd, "Conseil du 12 mars")


def test_agent_cannot_open_governance_admin(client):
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN, is_staff=True))
    assert status(client, "/admin/gouvernance/documentgouvernance/") == 403


def test_minutes_only_for_members_and_governance(client, pdf_bytes):
    member = UserFactory(email="membre@exemple.fr", role=Role.AGENT_METROPOLITAIN)
    comite = Comite.objects.create(nom="Comité de suivi des données")
    comite.membres.add(member)
    reunion = Reunion.objects.create(comite=comite, date=date(2026, 1, 15), decisions="Ouvrir les gisements.")
    reunion.compte_rendu.save("cr.pdf", ContentFile(pdf_bytes))
    url = f"/gouvernance/comite/reunions/{reunion.pk}/compte-rendu.pdf"
    assert status(client, url) == 302  # login first
    client.force_login(UserFactory(email="autre@exemple.fr", role=Role.ELU))
    assert status(client, url) == 403
    assert "Aucun comité ne vous est ouvert" in client.get("/gouvernance/comite/").content.decode()
    client.force_login(member)
    assert status(client, url) == 200
    assert "Ouvrir les gisements." in client.get("/gouvernance/comite/").content.decode()


ADMIN_PAGES = ["documentgouvernance", "designation", "partenariat", "comite", "reunion", "algorithme"]


@pytest.mark.parametrize("model", ADMIN_PAGES)
def test_governance_admin_pages_open_to_the_agd(client, agd, model):
    client.force_login(agd)
    assert status(client, f"/admin/gouvernance/{model}/") == 200
    assert status(client, f"/admin/gouvernance/{model}/add/") == 200


def test_register_admin_is_the_dpos(client, agd):
    client.force_login(agd)
    assert status(client, "/admin/gouvernance/traitement/") == 403
    client.force_login(UserFactory(email="dpo@exemple.fr", role=Role.DPO, is_staff=True))
    assert status(client, "/admin/gouvernance/traitement/") == 200
    assert status(client, "/admin/gouvernance/documentgouvernance/") == 403


def test_public_page_queries_do_not_grow_with_records(client, territoire, django_assert_max_num_queries):
    load_demo_accounts()
    load_demo_gouvernance()
    with django_assert_max_num_queries(10):
        assert client.get("/gouvernance/").status_code == 200
