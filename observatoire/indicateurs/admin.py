from django.contrib import admin

from observatoire.accounts.admin_access import CapabilityAdminMixin
from observatoire.accounts.enums import Capability

from .models import Indicateur


@admin.register(Indicateur)
class IndicateurAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    """Editors set labels, definitions and visibility; values come from the importers only."""

    capability = Capability.MANAGE_OBSERVATORIES
    list_display = ["code", "libelle", "unite", "observatoire", "rubrique", "visibilite", "dernier_millesime"]
    list_filter = ["observatoire", "visibilite"]
    readonly_fields = ["code", "dernier_millesime"]
    search_fields = ["code", "libelle"]
