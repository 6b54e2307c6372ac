"""Role × capability matrix, written out by hand so that a change to the roles shows here."""

import django.apps
import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission

from observatoire.accounts import perms
from observatoire.accounts.enums import Capability, Role
from observatoire.accounts.roles import ROLE_CAPABILITIES, sync_role_groups
from tests.factories import UserFactory

# Columns, in order: AGT AGCOM AGPART REP REPAG TRI CAT DASH REQ GRANT CATAL RGPD AUDIT GOUV OBS ADMIN
COLUMNS = [
    Capability.VIEW_AGENT_CONTENT,
    Capability.VIEW_COMMUNAL_CONTENT,
    Capability.VIEW_PARTNER_CONTENT,
    Capability.FILE_REPORT,
    Capability.FILE_REPORT_AS_AGENT,
    Capability.TRIAGE_REPORTS,
    Capability.MANAGE_COMMUNE_CATEGORIES,
    Capability.VIEW_REPORT_DASHBOARD,
    Capability.REQUEST_DATASET_ACCESS,
    Capability.GRANT_DATASET_ACCESS,
    Capability.MANAGE_CATALOGUE,
    Capability.MANAGE_GDPR_REGISTER,
    Capability.VIEW_DOWNLOAD_AUDIT,
    Capability.MANAGE_GOVERNANCE,
    Capability.MANAGE_OBSERVATORIES,
    Capability.ACCESS_ADMIN,
]
MATRIX = {
    #                                 AGT AGCOM AGPART REP REPAG TRI CAT DASH REQ GRANT CATAL RGPD AUDIT GOUV  OBS ADMIN
    Role.CITOYEN:                   "  .   .     .      x   .     .   .   .    .   .     .     .    .     .      .   .",
    Role.AGENT_COMMUNAL:            "  .   x     x      x   x     .   .   .    .   .     .     .    .     .      .   .",
    Role.AGENT_METROPOLITAIN:       "  x   x     x      x   x     .   .   .    .   .     .     .    .     .      .   .",
    Role.ELU:                       "  x   x     x      x   .     .   .   x    .   .     .     .    .     .      .   .",
    Role.CHARGE_ETUDES:             "  x   x     x      .   .     .   .   .    .   .     .     .    .     .      x   x",
    Role.GESTIONNAIRE_SIGNALEMENTS: "  .   .     .      x   x     x   .   x    .   .     .     .    .     .      .   .",
    Role.ADMIN_COMMUNAL:            "  .   x     x      x   x     .   x   x    .   .     .     .    .     .      .   .",
    Role.PARTENAIRE:                "  .   .     x      .   .     .   .   .    x   .     .     .    .     .      .   .",
    Role.AGD:                       "  x   x     x      .   .     .   .   x    .   x     x     .    x     x      x   x",
    Role.DPO:                       "  x   x     x      .   .     .   .   x    .   .     .     x    .     .      .   x",
    Role.RSSI:                      "  x   x     x      .   .     .   .   x    .   .     .     .    x     .      .   x",
    Role.SUPERADMIN:                "  x   x     x      x   x     x   x   x    x   x     x     x    x     x      x   x",
}  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _groups_from_the_role_table(django_db_setup, django_db_blocker):
    """The groups as the role table says now (migrations and deployments run the same sync), so the
    matrix below checks the table itself, not groups left in a reused test database."""
    with django_db_blocker.unblock():
        sync_role_groups(django.apps.apps)


CASES = [
    (role, capability, flag == "x")
    for role, row in MATRIX.items()
    for capability, flag in zip(COLUMNS, row.split(), strict=True)
]


def test_matrix_covers_every_role_and_capability():
    assert set(MATRIX) == set(Role)
    assert set(COLUMNS) == set(Capability)


def test_every_role_group_is_shipped_by_the_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}


@pytest.mark.parametrize(("role", "capability", "allowed"), CASES, ids=lambda v: getattr(v, "value", v))
def test_role_capability(role, capability, allowed):
    user = UserFactory(role=role)
    assert perms.has_capability(user, capability) is allowed


@pytest.mark.parametrize("capability", list(Capability))
def test_anonymous_and_inactive_users_can_do_nothing(capability):
    assert not perms.has_capability(AnonymousUser(), capability)
    inactive = UserFactory(role=Role.SUPERADMIN, is_active=False)
    assert not perms.has_capability(inactive, capability)


# Roles acting on the whole metropolis as long as no commune is assigned to their holder.
METROPOLITAN = {
    Role.AGENT_METROPOLITAIN,
    Role.ELU,
    Role.CHARGE_ETUDES,
    Role.GESTIONNAIRE_SIGNALEMENTS,
    Role.AGD,
    Role.DPO,
    Role.RSSI,
    Role.SUPERADMIN,
}


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_metropolitan_scope_per_role(role):
    assert perms.has_metropolitan_scope(UserFactory(role=role)) is (role in METROPOLITAN)


def test_syncing_the_groups_again_restores_a_removed_permission():
    group = Group.objects.get(name=Role.PARTENAIRE)
    group.permissions.clear()
    sync_role_groups(django.apps.apps)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {Capability.VIEW_PARTNER_CONTENT, Capability.REQUEST_DATASET_ACCESS}


def test_syncing_creates_a_missing_permission_named_by_its_label():
    Permission.objects.filter(codename=Capability.VIEW_PARTNER_CONTENT).delete()
    sync_role_groups(django.apps.apps)
    assert Permission.objects.get(codename=Capability.VIEW_PARTNER_CONTENT).name == (
        Capability.VIEW_PARTNER_CONTENT.label
    )


def test_the_role_table_is_this_matrix_for_every_role():
    """A role left out of the table would keep whatever its group held before: compare the table itself."""
    written = {
        role: {capability for capability, flag in zip(COLUMNS, row.split(), strict=True) if flag == "x"}
        for role, row in MATRIX.items()
    }
    assert {role: set(capabilities) for role, capabilities in ROLE_CAPABILITIES.items()} == written
