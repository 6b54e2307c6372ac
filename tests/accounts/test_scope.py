"""Territorial scope: communal roles act on their communes only."""

import pytest
from django.contrib.auth.models import AnonymousUser

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability, Role
from tests.factories import UserFactory

C = Capability


@pytest.mark.parametrize(
    ("role", "assigned", "capability", "on_aix", "on_marseille"),
    [
        (Role.AGENT_COMMUNAL, ["13001"], C.FILE_REPORT_AS_AGENT, True, False),
        (Role.AGENT_COMMUNAL, [], C.FILE_REPORT_AS_AGENT, False, False),
        (Role.ADMIN_COMMUNAL, ["13055"], C.MANAGE_COMMUNE_CATEGORIES, False, True),
        (Role.ADMIN_COMMUNAL, ["13055"], C.TRIAGE_REPORTS, False, False),
        (Role.GESTIONNAIRE_SIGNALEMENTS, [], C.TRIAGE_REPORTS, True, True),
        (Role.GESTIONNAIRE_SIGNALEMENTS, ["13001"], C.TRIAGE_REPORTS, True, False),
        (Role.ELU, [], C.VIEW_REPORT_DASHBOARD, True, True),
        (Role.ELU, ["13055"], C.VIEW_REPORT_DASHBOARD, False, True),
        (Role.CITOYEN, [], C.MANAGE_COMMUNE_CATEGORIES, False, False),
        (Role.PARTENAIRE, [], C.VIEW_COMMUNAL_CONTENT, False, False),
        (Role.SUPERADMIN, [], C.MANAGE_COMMUNE_CATEGORIES, True, True),
    ],
)
def test_scope(aix, marseille, role, assigned, capability, on_aix, on_marseille):
    communes = [c for c in (aix, marseille) if c.insee in assigned]
    user = UserFactory(role=role, communes=communes)
    assert perms.can(user, capability, commune=aix) is on_aix
    assert perms.can(user, capability, commune=marseille) is on_marseille


def test_metropolitan_agent_sees_all_92_communes(territoire):
    user = UserFactory(role=Role.AGENT_METROPOLITAIN)
    assert perms.has_metropolitan_scope(user)
    assert perms.communes_in_scope(user).count() == 92


def test_communal_agent_scope_is_its_communes(aix):
    user = UserFactory(role=Role.AGENT_COMMUNAL, communes=[aix])
    assert not perms.has_metropolitan_scope(user)
    assert list(perms.communes_in_scope(user)) == [aix]


def test_anonymous_has_no_scope(territoire):
    assert perms.communes_in_scope(AnonymousUser()).count() == 0


def users_who_may_do_nothing(aix):
    """Anonymous, None and inactive users (of every kind of scope) hold no capability nor commune."""
    return {
        "anonyme": AnonymousUser(),
        "aucun": None,
        "superadmin inactif": UserFactory(role=Role.SUPERADMIN, is_superuser=True, is_active=False),
        "agent métropolitain inactif": UserFactory(role=Role.AGENT_METROPOLITAIN, is_active=False),
        "agent communal inactif": UserFactory(role=Role.AGENT_COMMUNAL, communes=[aix], is_active=False),
    }


def test_anonymous_and_inactive_users_pass_no_permission_helper(aix):
    for label, user in users_who_may_do_nothing(aix).items():
        assert perms.has_metropolitan_scope(user) is False, label
        assert not perms.communes_in_scope(user).exists(), label
        for capability in Capability:
            assert perms.has_capability(user, capability) is False, (label, capability)
            assert perms.can(user, capability, commune=aix) is False, (label, capability)


def test_a_superuser_acts_everywhere_even_with_assigned_communes_and_no_role(territoire, aix, marseille):
    user = UserFactory(is_superuser=True, communes=[aix])
    assert perms.has_metropolitan_scope(user)
    assert perms.communes_in_scope(user).count() == 92
    assert perms.can(user, C.MANAGE_COMMUNE_CATEGORIES, commune=marseille)


def test_metropolitan_roles_act_on_one_commune_once_one_is_assigned(territoire, aix, marseille):
    user = UserFactory(role=Role.ELU, communes=[aix])
    assert not perms.has_metropolitan_scope(user)
    assert list(perms.communes_in_scope(user)) == [aix]


def test_a_user_without_role_has_no_scope(territoire):
    user = UserFactory()
    assert not perms.has_metropolitan_scope(user)
    assert not perms.communes_in_scope(user).exists()
