"""Admin behaviour shared by the apps (the core registers no model of its own here)."""

from django.contrib import admin

from observatoire.accounts.admin_access import CapabilityAdminMixin
from observatoire.accounts.enums import Capability


class ReadOnlyAdminMixin:
    """Rows only the portal writes (imported data, journals, records): listed and shown in the admin,
    never added nor changed there. Put it first among the bases, so that it wins over those that allow
    (``CapabilityAdminMixin``, ``ModelAdmin``); deleting stays as they decide."""

    def has_add_permission(self, request, obj=None):  # ``obj``: an inline's parent object
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ImportedRowsAdmin(ReadOnlyAdminMixin, CapabilityAdminMixin, admin.ModelAdmin):
    """The thematic apps' imported rows: read only, for those who manage the observatories (who upload
    the files), as the role table says rather than per-model permissions."""

    capability = Capability.MANAGE_OBSERVATORIES
