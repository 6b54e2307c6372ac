from django.contrib import admin

from observatoire.accounts.admin_access import CapabilityAdminMixin
from observatoire.accounts.enums import Capability

from .models import JeuDeDonnees


@admin.register(JeuDeDonnees)
class JeuDeDonneesAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_CATALOGUE
    list_display = ["titre", "theme", "producteur", "sensibilite", "publier", "derniere_mise_a_jour"]
    list_filter = ["theme", "sensibilite", "publier", "licence"]
    search_fields = ["titre", "description", "producteur"]
    prepopulated_fields = {"slug": ["titre"]}
    filter_horizontal = ["communes_autorisees", "organisations_autorisees"]
