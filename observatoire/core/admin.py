"""Admin behaviour shared by the apps (the core registers no model of its own here)."""

from django.contrib import admin
from django.db import transaction

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
    the files), as the role table says rather than per-model permissions. They may delete rows (a
    release or a network imported by mistake): ``recompute``, the app's ``schedule_recompute``, is
    then asked for after the commit, as an import does, so that its indicators follow."""

    capability = Capability.MANAGE_OBSERVATORIES
    recompute = None

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self.after_delete()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self.after_delete()

    def after_delete(self):
        """In the deletion's transaction: what derives from the rows (an app may add to it)."""
        if self.recompute is not None:
            transaction.on_commit(self.recompute)
