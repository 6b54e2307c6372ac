"""A partner asks, the AGD grants, downloads are allowed then refused at expiry; everything is audited."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from rest_framework.authtoken.models import Token

from gouvernance.acces import decide
from gouvernance.enums import Sensibilite
from gouvernance.models import DemandeAcces, JeuDeDonnees, StatutDemande, Telechargement, Traitement
from gouvernance.models.registre import preregister
from gouvernance.tasks import expire_access
from observatoire.accounts.enums import Role
from observatoire.opendata.sources import sync_catalogue
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def partenaire():
    return UserFactory(role=Role.PARTENAIRE, organisation=OrganisationFactory(nom="Agence d'urbanisme"))


@pytest.fixture
def agd():
    return UserFactory(role=Role.AGD)


def download(client, jeu):
    return client.get(reverse("acces:telecharger", args=[jeu.slug]), REMOTE_ADDR="192.0.2.7")


def grant(client, agd, demande, days=30):
    client.force_login(agd)
    fin = (timezone.localdate() + timedelta(days=days)).isoformat()
    return client.post(reverse("acces:decider", args=[demande.pk]), {"decision": "accorder", "fin": fin})


def test_request_grant_download_expiry_refusal_all_audited(client, jeu, partenaire, agd):
    client.force_login(partenaire)
    assert download(client, jeu).status_code == 302  # refused, back to the dataset page
    response = client.post(
        reverse("acces:demander", args=[jeu.slug]),
        {"finalite": "Étude des dynamiques résidentielles pour le PLH 2026-2031.", "duree_mois": 3},
    )
    assert response.status_code == 302
    demande = DemandeAcces.objects.get()
    assert (demande.status, demande.organisation.nom) == (StatutDemande.EN_ATTENTE, "Agence d'urbanisme")
    assert download(client, jeu).status_code == 302

    assert grant(client, agd, demande).status_code == 302
    demande.refresh_from_db()
    assert demande.status == StatutDemande.ACCORDEE and demande.decided_by == agd

    client.force_login(partenaire)
    response = download(client, jeu)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 92 and rows[0]["insee"]

    DemandeAcces.objects.filter(pk=demande.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert download(client, jeu).status_code == 302  # refused at once, before the nightly sweep
    assert expire_access() == 1
    demande.refresh_from_db()
    assert demande.status == StatutDemande.EXPIREE
    assert [h.to_status for h in demande.historique.all()] == [StatutDemande.ACCORDEE, StatutDemande.EXPIREE]

    log = list(Telechargement.objects.order_by("at").values_list("autorise", "canal", "ip", "user_email"))
    assert [entry[0] for entry in log] == [False, False, True, False]
    assert all(entry[1:] == ("web", "192.0.2.7", partenaire.email) for entry in log)
    assert Telechargement.objects.get(autorise=True).demande == demande


def test_api_token_download_under_a_valid_grant(client, jeu, partenaire, agd):
    DemandeAcces.objects.create(jeu=jeu, demandeur=partenaire, finalite="x" * 30, duree_mois=1)
    grant(client, agd, DemandeAcces.objects.get())
    client.logout()
    url = reverse("catalogue-api:telecharger", args=[jeu.slug])
    token = Token.objects.create(user=partenaire)
    response = client.get(url, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert Telechargement.objects.get().canal == "api"
    assert client.get(url, HTTP_AUTHORIZATION="Token faux").status_code == 401
    assert client.get(url).json()["detail"]
    other = UserFactory(role=Role.PARTENAIRE)
    refused = client.get(url, HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other).key}")
    assert refused.status_code == 403 and "Aucun accès" in refused.json()["detail"]


def test_refusal_needs_a_reason_and_grant_a_future_end(client, jeu, partenaire, agd):
    demande = DemandeAcces.objects.create(jeu=jeu, demandeur=partenaire, finalite="x" * 30, duree_mois=1)
    client.force_login(agd)
    url = reverse("acces:decider", args=[demande.pk])
    page = client.post(url, {"decision": "refuser", "motif": " "}).content.decode()
    assert "Un refus doit être motivé." in page
    page = client.post(url, {"decision": "accorder", "fin": "2020-01-01"}).content.decode()
    assert "La date de fin doit être future." in page
    too_long = (timezone.localdate() + timedelta(days=90)).isoformat()
    assert (
        "dépasse la durée demandée"
        in client.post(url, {"decision": "accorder", "fin": too_long}).content.decode()
    )
    client.post(url, {"decision": "refuser", "motif": "Finalité trop large."})
    demande.refresh_from_db()
    assert demande.status == StatutDemande.REFUSEE
    with pytest.raises(ValidationError, match="Passage impossible"):
        demande.transition(StatutDemande.ACCORDEE, agd, expires_at=timezone.now() + timedelta(days=1))


def test_personal_data_needs_the_register_to_name_the_partner(client, territoire, partenaire, agd):
    sync_catalogue()
    jeu = JeuDeDonnees.objects.get(slug="signalements-complets")
    demande = DemandeAcces.objects.create(jeu=jeu, demandeur=partenaire, finalite="x" * 30, duree_mois=1)
    preregister()  # the data migration's entries (a transactional test may have flushed them)
    traitement = Traitement.objects.get(code="signalements")
    traitement.jeux.add(jeu)
    traitement.destinataires_organisations.add(partenaire.organisation)
    grant(client, agd, demande)
    assert decide(partenaire, jeu).allowed
    traitement.destinataires_organisations.clear()  # removed from the register after the grant
    decision = decide(partenaire, jeu)
    assert not decision.allowed and "registre" in decision.reason


def test_grant_of_personal_data_is_refused_until_the_register_names_the_partner(
    client, territoire, partenaire, agd
):
    """Granting would give an access the partner can never use: the page warns, the grant is refused."""
    sync_catalogue()
    jeu = JeuDeDonnees.objects.get(slug="signalements-complets")
    demande = DemandeAcces.objects.create(jeu=jeu, demandeur=partenaire, finalite="x" * 30, duree_mois=1)
    preregister()
    traitement = Traitement.objects.get(code="signalements")
    traitement.jeux.add(jeu)
    client.force_login(agd)
    url = reverse("acces:decider", args=[demande.pk])
    admin_url = reverse("admin:gouvernance_traitement_change", args=[traitement.pk])
    warning = client.get(url).content.decode()
    assert escape("« Agence d'urbanisme »") in warning and escape(f"« {traitement.nom} »") in warning
    assert admin_url in warning

    refused = grant(client, agd, demande)
    assert refused.status_code == 200 and "ne nomme pas" in refused.content.decode()
    demande.refresh_from_db()
    assert demande.status == StatutDemande.EN_ATTENTE
    with pytest.raises(ValidationError, match="Agence d'urbanisme"):
        demande.transition(StatutDemande.ACCORDEE, agd, expires_at=timezone.now() + timedelta(days=1))

    traitement.destinataires_organisations.add(partenaire.organisation)
    assert "ne nomme pas" not in client.get(url).content.decode()
    assert grant(client, agd, demande).status_code == 302
    client.force_login(partenaire)
    assert download(client, jeu).status_code == 200


def test_grant_of_personal_data_without_any_register_entry_says_to_record_the_treatment(
    client, territoire, partenaire, agd
):
    sync_catalogue()
    jeu = JeuDeDonnees.objects.get(slug="signalements-complets")
    Traitement.objects.filter(jeux=jeu).delete()
    demande = DemandeAcces.objects.create(jeu=jeu, demandeur=partenaire, finalite="x" * 30, duree_mois=1)
    page = grant(client, agd, demande).content.decode()
    assert "Aucune activité de traitement du registre ne couvre" in page
    assert reverse("admin:gouvernance_traitement_add") in page
    demande.refresh_from_db()
    assert demande.status == StatutDemande.EN_ATTENTE


def test_authorised_roles_download_without_request(client, territoire):
    sync_catalogue()
    jeu = JeuDeDonnees.objects.get(slug="signalements-complets")
    assert decide(UserFactory(role=Role.GESTIONNAIRE_SIGNALEMENTS), jeu).allowed
    assert not decide(UserFactory(role=Role.AGENT_METROPOLITAIN), jeu).allowed


def test_security_sensitive_data_cannot_be_requested(client, jeu, partenaire):
    jeu.sensibilite = Sensibilite.SECURITE
    jeu.save()
    client.force_login(partenaire)
    page = client.get(reverse("acces:jeu", args=[jeu.slug])).content.decode()
    assert "Demander l&#x27;accès" not in page and "réservées aux rôles autorisés" in page


@pytest.mark.parametrize(
    ("role", "status"), [(Role.AGD, 200), (Role.RSSI, 200), (Role.PARTENAIRE, 403), (Role.DPO, 403)]
)
def test_audit_log_is_for_the_agd_and_the_rssi(client, jeu, partenaire, role, status):
    client.force_login(partenaire)
    download(client, jeu)
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("acces:audit"))
    assert response.status_code == status
    if status == 200:
        export = client.get(reverse("acces:audit"), {"format": "csv", "refus": "1"}).content.decode()
        rows = list(csv.DictReader(io.StringIO(export)))
        assert len(rows) == 1 and rows[0]["utilisateur"] == partenaire.email and rows[0]["autorise"] == "non"


def test_meta_catalogue_lists_every_sensitivity_with_facets(client, jeu):
    client.force_login(UserFactory(role=Role.AGENT_METROPOLITAIN))
    response = client.get(reverse("acces:catalogue"), {"sensibilite": Sensibilite.PERSONNEL})
    assert [j.slug for j in response.context["jeux"]] == ["signalements-complets"]
    client.force_login(UserFactory(role=Role.CITOYEN))
    assert client.get(reverse("acces:catalogue")).status_code == 403
