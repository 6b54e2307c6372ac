"""Admin pages opened by a capability of the role table rather than by per-model permissions."""

from . import perms


class CapabilityAdminMixin:
    """Every action on the model's admin needs ``capability`` (superusers hold them all)."""

    capability = None

    def _allowed(self, request):
        return (
            request.user.is_active
            and request.user.is_staff
            and perms.has_capability(request.user, self.capability)
        )

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)
