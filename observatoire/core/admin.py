"""Admin behaviour shared by the apps (the core registers no model of its own here)."""


class ReadOnlyAdminMixin:
    """Rows only the portal writes (imported data, journals, records): listed and shown in the admin,
    never added nor changed there. Put it first among the bases, so that it wins over those that allow
    (``CapabilityAdminMixin``, ``ModelAdmin``); deleting stays as they decide."""

    def has_add_permission(self, request, obj=None):  # ``obj``: an inline's parent object
        return False

    def has_change_permission(self, request, obj=None):
        return False
