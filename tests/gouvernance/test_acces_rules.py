"""The access rules of gouvernance.acces, case by case: who may download, who may ask, when a grant ends."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from gouvernance import acces
from gouvernance.enums import Sensibilite
from gouvernance.models import DemandeAcces, StatutDemande, Traitement
from gouvernance.models.registre import preregister
from observatoire.accounts.enums import Role
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def partenaire():
    return UserFactory(role=Role.PARTENAIRE, organisation=OrganisationFactory(nom="Agence d'urbanisme"))


@pytest.fixture
def frozen_now(monkeypatch):
    """A fixed « now », so that an end date can be tested at its exact instant."""
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def granted(jeu, user, expires_at):
    return DemandeAcces.objects.create(
        jeu=jeu,
        demandeur=user,
        finalite="x" * 30,
        duree_mois=1,
        status=StatutDemande.ACCORDEE,
        expires_at=expires_at,
    )


def sensitivity(jeu, value, roles=(), communes=()):
    jeu.sensibilite = value
    jeu.roles_autorises = [role.value for role in roles]
    jeu.base_legale = "Mission d'intérêt public" if value == Sensibilite.PERSONNEL else ""
    jeu.save()
    jeu.communes_autorisees.set(communes)
    return jeu


def test_nobody_logged_in_or_active_downloads_even_public_data(jeu, partenaire):
    sensitivity(jeu, Sensibilite.PUBLIC)
    inactive = UserFactory(role=Role.SUPERADMIN, is_superuser=True, is_active=False)
    for user in (None, AnonymousUser(), inactive):
        decision = acces.decide(user, jeu)
        assert (decision.allowed, decision.reason) == (False, "Connexion requise.")


def test_public_data_for_any_logged_in_user(jeu):
    sensitivity(jeu, Sensibilite.PUBLIC)
    assert acces.decide(UserFactory(role=Role.CITOYEN), jeu).allowed
    assert acces.decide(UserFactory(), jeu).allowed


@pytest.mark.parametrize(
    ("role", "assigned", "allowed"),
    [
        (Role.GESTIONNAIRE_SIGNALEMENTS, [], True),  # metropolitan
        (Role.GESTIONNAIRE_SIGNALEMENTS, ["13001"], True),  # the authorised commune
        (Role.GESTIONNAIRE_SIGNALEMENTS, ["13055"], False),  # another commune
        (Role.ADMIN_COMMUNAL, ["13001"], True),
        (Role.ADMIN_COMMUNAL, ["13055"], False),
        (Role.AGENT_METROPOLITAIN, [], False),  # role not on the dataset's sheet
        (Role.PARTENAIRE, [], False),
    ],
)
def test_authorised_roles_within_the_authorised_communes(jeu, aix, marseille, role, assigned, allowed):
    sensitivity(jeu, Sensibilite.RESTREINT, [Role.GESTIONNAIRE_SIGNALEMENTS, Role.ADMIN_COMMUNAL], [aix])
    user = UserFactory(role=role, communes=[c for c in (aix, marseille) if c.insee in assigned])
    assert acces.decide(user, jeu).allowed is allowed


def test_without_authorised_communes_every_commune_of_an_authorised_role_counts(jeu, marseille):
    sensitivity(jeu, Sensibilite.RESTREINT, [Role.ADMIN_COMMUNAL])
    decision = acces.decide(UserFactory(role=Role.ADMIN_COMMUNAL, communes=[marseille]), jeu)
    assert (decision.allowed, decision.demande) == (True, None)


def test_a_superuser_downloads_without_being_named(jeu, aix):
    sensitivity(jeu, Sensibilite.SECURITE, [], [aix])
    assert acces.decide(UserFactory(is_superuser=True), jeu).allowed


def test_security_data_is_refused_even_under_a_valid_grant(jeu, partenaire):
    sensitivity(jeu, Sensibilite.SECURITE, [Role.RSSI])
    granted(jeu, partenaire, timezone.now() + timedelta(days=10))
    decision = acces.decide(partenaire, jeu)
    assert not decision.allowed and "sécurité" in decision.reason
    assert acces.decide(UserFactory(role=Role.RSSI), jeu).allowed


def test_restricted_data_under_the_latest_valid_grant_only(jeu, partenaire, frozen_now):
    assert not acces.decide(partenaire, jeu).allowed
    granted(jeu, partenaire, frozen_now)  # ends now: no longer valid
    assert not acces.decide(partenaire, jeu).allowed
    granted(jeu, partenaire, frozen_now + timedelta(days=10))
    latest = granted(jeu, partenaire, frozen_now + timedelta(days=40))
    decision = acces.decide(partenaire, jeu)
    assert decision.allowed and decision.demande == latest
    assert timezone.localtime(latest.expires_at).strftime("%d/%m/%Y") in decision.reason
    assert not acces.decide(UserFactory(role=Role.PARTENAIRE), jeu).allowed  # the grant is personal


@pytest.fixture
def personal(jeu):
    """A personal dataset listed by a register entry that names no recipient organisation."""
    sensitivity(jeu, Sensibilite.PERSONNEL)
    preregister()
    traitement = Traitement.objects.filter(actif=True).first()
    traitement.jeux.add(jeu)
    traitement.destinataires_organisations.clear()
    return traitement


def test_personal_data_only_to_an_organisation_the_register_names(jeu, partenaire, personal):
    granted(jeu, partenaire, timezone.now() + timedelta(days=10))
    assert not acces.decide(partenaire, jeu).allowed
    personal.destinataires_organisations.add(partenaire.organisation)
    assert acces.decide(partenaire, jeu).allowed


def test_personal_data_never_to_a_partner_without_organisation(jeu, personal):
    loner = UserFactory(role=Role.PARTENAIRE)
    granted(jeu, loner, timezone.now() + timedelta(days=10))
    assert not acces.register_lists_recipient(jeu, None)
    decision = acces.decide(loner, jeu)
    assert not decision.allowed and "registre" in decision.reason


@pytest.mark.parametrize(
    ("value", "may"),
    [
        (Sensibilite.PUBLIC, False),
        (Sensibilite.RESTREINT, True),
        (Sensibilite.PERSONNEL, True),
        (Sensibilite.SECURITE, False),
    ],
)
def test_a_partner_may_request_restricted_and_personal_data_only(jeu, partenaire, value, may):
    sensitivity(jeu, value)
    assert acces.may_request(partenaire, jeu) is may


def test_only_holders_of_the_capability_may_request(jeu):
    for user in (AnonymousUser(), UserFactory(role=Role.CITOYEN), UserFactory(role=Role.AGD)):
        assert acces.may_request(user, jeu) is False
    inactive = UserFactory(role=Role.PARTENAIRE, is_active=False)
    assert acces.may_request(inactive, jeu) is False


@pytest.mark.parametrize(
    ("status", "ends_in", "may"),
    [
        (StatutDemande.EN_ATTENTE, None, False),
        (StatutDemande.ACCORDEE, timedelta(days=1), False),
        (StatutDemande.ACCORDEE, timedelta(0), True),  # ends now: ask again
        (StatutDemande.ACCORDEE, -timedelta(days=1), True),
        (StatutDemande.REFUSEE, None, True),
        (StatutDemande.EXPIREE, -timedelta(days=1), True),
    ],
)
def test_a_partner_asks_again_only_without_pending_or_valid_request(
    jeu, partenaire, frozen_now, status, ends_in, may
):
    expires_at = frozen_now + ends_in if ends_in is not None else None
    DemandeAcces.objects.create(
        jeu=jeu, demandeur=partenaire, finalite="x" * 30, duree_mois=1, status=status, expires_at=expires_at
    )
    assert acces.may_request(partenaire, jeu) is may
    assert acces.may_request(UserFactory(role=Role.PARTENAIRE), jeu) is True  # other people's requests


def test_grants_expire_at_their_exact_end(jeu, partenaire, frozen_now):
    ending_now = granted(jeu, partenaire, frozen_now)
    later = granted(jeu, partenaire, frozen_now + timedelta(microseconds=1))
    assert acces.expire_grants() == 1
    ending_now.refresh_from_db()
    later.refresh_from_db()
    assert (ending_now.status, later.status) == (StatutDemande.EXPIREE, StatutDemande.ACCORDEE)
    assert acces.expire_grants() == 0
