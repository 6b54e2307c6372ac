"""Publications, their journal and pushes to external portals: records of what happened, read only."""

from django.contrib import admin

from observatoire.accounts.admin_access import CapabilityAdminMixin
from observatoire.accounts.enums import Capability
from observatoire.core.admin import ReadOnlyAdminMixin

from .models import Diffusion, JournalPublication, Publication, Ressource


class RecordAdmin(ReadOnlyAdminMixin, CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_CATALOGUE

    def has_delete_permission(self, request, obj=None):
        return False


class RessourceInline(admin.TabularInline):
    model = Ressource
    fields = ["format", "fichier", "taille", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Publication)
class PublicationAdmin(RecordAdmin):
    list_display = ["jeu", "version", "lignes", "duree", "created_at"]
    list_filter = ["jeu"]
    inlines = [RessourceInline]


@admin.register(JournalPublication)
class JournalPublicationAdmin(RecordAdmin):
    list_display = ["at", "jeu", "issue", "message"]
    list_filter = ["issue", "jeu"]


@admin.register(Diffusion)
class DiffusionAdmin(RecordAdmin):
    list_display = ["jeu", "portail", "version", "status", "at", "remote_url"]
    list_filter = ["portail", "status"]
