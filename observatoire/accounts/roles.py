"""Which capabilities each role holds: the single table behind the role groups."""

from .enums import Capability as C
from .enums import Role as R

_AGENT_READ = {C.VIEW_AGENT_CONTENT, C.VIEW_COMMUNAL_CONTENT, C.VIEW_PARTNER_CONTENT}
_DATA_OFFICER = _AGENT_READ | {C.VIEW_REPORT_DASHBOARD, C.ACCESS_ADMIN}

ROLE_CAPABILITIES = {
    R.CITOYEN: {C.FILE_REPORT},
    R.AGENT_COMMUNAL: {
        C.VIEW_COMMUNAL_CONTENT,
        C.VIEW_PARTNER_CONTENT,
        C.FILE_REPORT,
        C.FILE_REPORT_AS_AGENT,
    },
    R.AGENT_METROPOLITAIN: _AGENT_READ | {C.FILE_REPORT, C.FILE_REPORT_AS_AGENT},
    R.ELU: _AGENT_READ | {C.VIEW_REPORT_DASHBOARD, C.FILE_REPORT},
    R.CHARGE_ETUDES: _AGENT_READ | {C.MANAGE_OBSERVATORIES, C.ACCESS_ADMIN},
    R.GESTIONNAIRE_SIGNALEMENTS: {
        C.FILE_REPORT,
        C.FILE_REPORT_AS_AGENT,
        C.TRIAGE_REPORTS,
        C.VIEW_REPORT_DASHBOARD,
    },
    R.ADMIN_COMMUNAL: {
        C.VIEW_COMMUNAL_CONTENT,
        C.VIEW_PARTNER_CONTENT,
        C.FILE_REPORT,
        C.FILE_REPORT_AS_AGENT,
        C.MANAGE_COMMUNE_CATEGORIES,
        C.VIEW_REPORT_DASHBOARD,
    },
    R.PARTENAIRE: {C.VIEW_PARTNER_CONTENT, C.REQUEST_DATASET_ACCESS},
    R.AGD: _DATA_OFFICER
    | {
        C.GRANT_DATASET_ACCESS,
        C.MANAGE_CATALOGUE,
        C.VIEW_DOWNLOAD_AUDIT,
        C.MANAGE_GOVERNANCE,
        C.MANAGE_OBSERVATORIES,
    },
    R.DPO: _DATA_OFFICER | {C.MANAGE_GDPR_REGISTER},
    R.RSSI: _DATA_OFFICER | {C.VIEW_DOWNLOAD_AUDIT},
    R.SUPERADMIN: set(C),
}

# Roles whose holders act on the whole metropolis unless communes are assigned to them.
METROPOLITAN_ROLES = {
    R.AGENT_METROPOLITAIN,
    R.ELU,
    R.CHARGE_ETUDES,
    R.GESTIONNAIRE_SIGNALEMENTS,
    R.AGD,
    R.DPO,
    R.RSSI,
    R.SUPERADMIN,
}


def sync_role_groups(apps):
    """Create the role groups and their permissions; used by data migrations."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    permissions = {}
    for capability in C:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=capability.value,
            defaults={"name": capability.label},
        )
        permissions[capability] = permission
    for role, capabilities in ROLE_CAPABILITIES.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set([permissions[c] for c in capabilities])
