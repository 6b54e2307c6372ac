from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.html import format_html

from observatoire.core.admin import ReadOnlyAdminMixin

from .models import IdentiteFederee
from .siret import proposed_scope


def scope_proposal(identite):
    proposal = proposed_scope(identite.siret)
    if proposal is None:
        return "Aucune (SIRET absent ou hors des communes de la métropole)"
    kind, place = proposal
    if kind == "metropole":
        return format_html("Périmètre métropolitain : le SIRET est celui de <strong>{}</strong>", place)
    return format_html(
        "Commune <strong>{}</strong> ({}) : le SIRET est celui de sa mairie. "
        "Ajoutez-la aux communes du compte si vous lui donnez un rôle communal.",
        place.nom,
        place.insee,
    )


class IdentiteFedereeInline(admin.StackedInline):
    """What ProConnect or FranceConnect said about the account: read-only, a help to decide its
    roles and communes, never a grant."""

    model = IdentiteFederee
    extra = 0
    can_delete = False
    fields = [
        "fournisseur",
        "sub",
        "email",
        "siret",
        "organizational_unit",
        "proposition",
        "claims",
        "first_login_at",
        "last_login_at",
    ]
    readonly_fields = fields
    verbose_name_plural = "identités fédérées (ProConnect, FranceConnect) et proposition de périmètre"

    @admin.display(description="proposition de périmètre")
    def proposition(self, identite):
        return scope_proposal(identite)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IdentiteFederee)
class IdentiteFedereeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "fournisseur", "email", "siret", "organizational_unit", "last_login_at"]
    list_filter = ["fournisseur"]
    search_fields = ["email", "user__email", "siret", "organizational_unit"]
    readonly_fields = [field.name for field in IdentiteFederee._meta.fields] + ["proposition"]

    @admin.display(description="proposition de périmètre")
    def proposition(self, identite):
        return scope_proposal(identite)


# The accounts app owns the user's admin page; the identities are added to it from here so that
# accounts does not import the app above it.
User = get_user_model()
_UserAdmin = type(admin.site._registry[User])
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(_UserAdmin):
    inlines = [*_UserAdmin.inlines, IdentiteFedereeInline]
