from django.contrib import admin

from observatoire.accounts.admin_access import CapabilityAdminMixin
from observatoire.accounts.enums import Capability

from .models import Contenu, Observatoire, Rubrique


class RubriqueInline(admin.TabularInline):
    model = Rubrique
    fields = ["nom", "slug", "ordre"]
    prepopulated_fields = {"slug": ["nom"]}
    extra = 0


@admin.register(Observatoire)
class ObservatoireAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_OBSERVATORIES
    list_display = ["nom", "theme", "statut", "ordre"]
    list_filter = ["statut"]
    prepopulated_fields = {"slug": ["theme"]}
    inlines = [RubriqueInline]


@admin.register(Contenu)
class ContenuAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_OBSERVATORIES
    list_display = ["titre", "type", "rubrique", "visibilite", "millesime", "publie_le"]
    list_filter = ["type", "visibilite", "rubrique__observatoire"]
    search_fields = ["titre", "description"]
    list_select_related = ["rubrique__observatoire"]
