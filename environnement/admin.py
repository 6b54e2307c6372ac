"""The environnement rows in the admin: read-only lists (they come from the importers, loaded by upload)."""

from django.contrib import admin

from observatoire.core.admin import ImportedRowsAdmin

from .models import (
    ArreteCatnat,
    CouvertureCommune,
    EmissionCommune,
    EspaceNaturel,
    IndiceAtmo,
    PlanPrevention,
)


@admin.register(ArreteCatnat)
class ArreteCatnatAdmin(ImportedRowsAdmin):
    list_display = ["cod_nat_catnat", "commune", "lib_risque_jo", "dat_deb", "dat_pub_jo"]
    list_filter = ["lib_risque_jo"]
    search_fields = ["cod_nat_catnat", "commune__nom", "commune__insee"]
    list_select_related = ["commune"]
    date_hierarchy = "dat_pub_jo"


@admin.register(PlanPrevention)
class PlanPreventionAdmin(ImportedRowsAdmin):
    list_display = ["cod_nat_ppr", "commune", "famille", "lib_risque", "dat_approbation", "dat_abrogation"]
    list_filter = ["famille", "lib_risque"]
    search_fields = ["cod_nat_ppr", "lib_ppr", "commune__nom", "commune__insee"]
    list_select_related = ["commune"]


@admin.register(IndiceAtmo)
class IndiceAtmoAdmin(ImportedRowsAdmin):
    list_display = ["date_ech", "commune", "code_qual", "lib_qual", "source"]
    list_filter = ["code_qual"]
    search_fields = ["commune__nom", "commune__insee"]
    list_select_related = ["commune"]
    date_hierarchy = "date_ech"


@admin.register(EmissionCommune)
class EmissionCommuneAdmin(ImportedRowsAdmin):
    list_display = ["version", "commune", "annee", "secteur", "polluant", "valeur", "unite"]
    list_filter = ["version", "polluant", "annee"]
    search_fields = ["commune__nom", "commune__insee", "secteur"]
    list_select_related = ["commune"]


@admin.register(EspaceNaturel)
class EspaceNaturelAdmin(ImportedRowsAdmin):
    exclude = ["geom"]  # thousands of vertices: on the maps and in the OGC collection, not in a form
    list_display = ["identifiant", "nom", "type", "millesime"]
    list_filter = ["type", "millesime"]
    search_fields = ["identifiant", "nom"]


@admin.register(CouvertureCommune)
class CouvertureCommuneAdmin(ImportedRowsAdmin):
    list_display = ["commune", "type", "millesime", "surface_ha", "part"]
    list_filter = ["type", "millesime"]
    search_fields = ["commune__nom", "commune__insee"]
    list_select_related = ["commune"]
