from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import Commune, Epci, Zone


@admin.register(Epci)
class EpciAdmin(LeafletGeoAdmin):
    list_display = ["nom", "siren", "type", "population"]
    search_fields = ["nom", "siren"]


@admin.register(Commune)
class CommuneAdmin(LeafletGeoAdmin):
    list_display = ["nom", "insee", "population", "epci"]
    list_filter = ["epci", "departement"]
    search_fields = ["nom", "insee"]


@admin.register(Zone)
class ZoneAdmin(LeafletGeoAdmin):
    list_display = ["nom", "type", "code", "commune", "population"]
    list_filter = ["type"]
    search_fields = ["nom", "code"]
    list_select_related = ["commune"]
