"""Imported mobility data, read only: it changes through the importers (admin « Imports de fichiers »)."""

from django.contrib import admin

from observatoire.accounts.admin_access import CapabilityAdminMixin
from observatoire.accounts.enums import Capability
from observatoire.core.admin import ReadOnlyAdminMixin

from .models import Arret, Flux, Ligne, Reseau


class ReadOnlyAdmin(ReadOnlyAdminMixin, CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_OBSERVATORIES


@admin.register(Reseau)
class ReseauAdmin(ReadOnlyAdmin):
    list_display = ["nom", "jour_type", "debut", "fin", "courses", "imported_at"]


@admin.register(Ligne)
class LigneAdmin(ReadOnlyAdmin):
    list_display = ["nom_court", "nom_long", "type", "courses", "reseau"]
    list_filter = ["reseau", "type"]
    search_fields = ["nom_court", "nom_long"]


@admin.register(Arret)
class ArretAdmin(ReadOnlyAdmin):
    list_display = ["nom", "commune", "passages", "lignes"]
    list_filter = ["reseau"]
    search_fields = ["nom", "stop_id"]
    list_select_related = ["commune"]


@admin.register(Flux)
class FluxAdmin(ReadOnlyAdmin):
    list_display = ["commune", "libelle_travail", "millesime", "actifs"]
    list_filter = ["millesime"]
    list_select_related = ["commune"]
