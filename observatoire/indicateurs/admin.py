from django.contrib import admin

from .models import Indicateur


@admin.register(Indicateur)
class IndicateurAdmin(admin.ModelAdmin):
    list_display = ["code", "libelle", "unite", "observatoire", "visibilite", "dernier_millesime"]
    list_filter = ["observatoire", "visibilite"]
    search_fields = ["code", "libelle"]
