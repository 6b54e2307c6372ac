"""Imported mobility data, read only: it changes through the importers (admin « Imports de fichiers »)."""

from django.contrib import admin

from observatoire.core.admin import ImportedRowsAdmin

from .models import Arret, Flux, Ligne, Reseau
from .tasks import schedule_recompute


class MobiliteAdmin(ImportedRowsAdmin):
    recompute = staticmethod(schedule_recompute)


@admin.register(Reseau)
class ReseauAdmin(MobiliteAdmin):
    list_display = ["nom", "jour_type", "debut", "fin", "courses", "imported_at"]


@admin.register(Ligne)
class LigneAdmin(MobiliteAdmin):
    list_display = ["nom_court", "nom_long", "type", "courses", "reseau"]
    list_filter = ["reseau", "type"]
    search_fields = ["nom_court", "nom_long"]


@admin.register(Arret)
class ArretAdmin(MobiliteAdmin):
    list_display = ["nom", "commune", "passages", "lignes"]
    list_filter = ["reseau"]
    search_fields = ["nom", "stop_id"]
    list_select_related = ["commune"]


@admin.register(Flux)
class FluxAdmin(MobiliteAdmin):
    list_display = ["commune", "libelle_travail", "millesime", "actifs"]
    list_filter = ["millesime"]
    list_select_related = ["commune"]
