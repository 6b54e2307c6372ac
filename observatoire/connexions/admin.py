from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import ngettext

from observatoire.core.admin import ReadOnlyAdminMixin

from .models import ActiveSession, EvenementConnexion
from .perms import reads_journal


class _ReadOnly(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rows written by the portal only: nobody adds, changes or deletes them here."""

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return reads_journal(request.user)

    def has_module_permission(self, request):
        return reads_journal(request.user)


@admin.register(EvenementConnexion)
class EvenementConnexionAdmin(_ReadOnly):
    list_display = ["at", "type", "email", "actor_email", "method", "ip"]
    list_filter = ["type", "method"]
    search_fields = ["email", "actor_email", "ip"]
    date_hierarchy = "at"
    fields = ["at", "type", "email", "actor_email", "method", "ip", "user_agent", "details"]


@admin.register(ActiveSession)
class ActiveSessionAdmin(_ReadOnly):
    list_display = ["user", "created_at", "last_seen", "ip", "method"]
    search_fields = ["user__email", "ip"]
    # The key is a bearer secret: never shown, even to the RSSI.
    fields = ["user", "created_at", "last_seen", "ip", "user_agent", "method"]


@admin.action(
    permissions=["change"],
    description="Départ : désactiver les comptes sélectionnés (jetons d'API et sessions coupés)",
)
def depart(modeladmin, request, queryset):
    from observatoire.accounts import lifecycle

    count = lifecycle.depart(queryset.filter(is_active=True), actor=request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "%d compte désactivé : ses jetons d'API et ses sessions ne fonctionnent plus.",
            "%d comptes désactivés : leurs jetons d'API et leurs sessions ne fonctionnent plus.",
            count,
        )
        % count,
    )


# The accounts app owns the user's admin page; the departure action is added to it from here, as
# the identite app adds its inline.
User = get_user_model()
_UserAdmin = type(admin.site._registry[User])
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(_UserAdmin):
    actions = [*(_UserAdmin.actions or []), depart]
