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
