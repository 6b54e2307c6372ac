from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import Actif


@admin.register(Actif)
class ActifAdmin(LeafletGeoAdmin):
    """Assets come from their owners' files (« Imports de fichiers »); here they are looked up, and one
    may be withdrawn (``is_active``) or moved by hand until the next import."""

    list_display = ["identifiant", "categorie", "nature", "libelle", "commune", "is_active", "updated_at"]
    list_filter = ["categorie", "is_active", "commune"]
    search_fields = ["identifiant", "libelle", "nature"]
    readonly_fields = ["commune", "source", "proprietes", "updated_at"]
    list_select_related = ["categorie", "commune"]
