"""The environnement rows in the admin: read-only lists (they come from the importers, loaded by upload)."""

from django.contrib import admin

from observatoire.core.admin import ImportedRowsAdmin

from .couverture import recompute_couverture
from .models import (
    ArreteCatnat,
    CouvertureCommune,
    EmissionCommune,
    EspaceNaturel,
    IndiceAtmo,
    PlanPrevention,
)
from .tasks import schedule_recompute


class EnvironnementAdmin(ImportedRowsAdmin):
    recompute = staticmethod(schedule_recompute)


@admin.register(ArreteCatnat)
class ArreteCatnatAdmin(EnvironnementAdmin):
    list_display = ["cod_nat_catnat", "commune", "lib_risque_jo", "dat_deb", "dat_pub_jo"]
    list_filter = ["lib_risque_jo"]
    search_fields = ["cod_nat_catnat", "commune__nom", "commune__insee"]
    list_select_related = ["commune"]
    date_hierarchy = "dat_pub_jo"


@admin.register(PlanPrevention)
class PlanPreventionAdmin(EnvironnementAdmin):
    list_display = ["cod_nat_ppr", "commune", "famille", "lib_risque", "dat_approbation", "dat_abrogation"]
    list_filter = ["famille", "lib_risque"]
    search_fields = ["cod_nat_ppr", "lib_ppr", "commune__nom", "commune__insee"]
    list_select_related = ["commune"]


@admin.register(IndiceAtmo)
class IndiceAtmoAdmin(EnvironnementAdmin):
    list_display = ["date_ech", "commune", "code_qual", "lib_qual", "source"]
    list_filter = ["code_qual"]
    search_fields = ["commune__nom", "commune__insee"]
    list_select_related = ["commune"]
    date_hierarchy = "date_ech"


@admin.register(EmissionCommune)
class EmissionCommuneAdmin(EnvironnementAdmin):
    list_display = ["version", "commune", "annee", "secteur", "polluant", "valeur", "unite"]
    list_filter = ["version", "polluant", "annee"]
    search_fields = ["commune__nom", "commune__insee", "secteur"]
    list_select_related = ["commune"]


@admin.register(EspaceNaturel)
class EspaceNaturelAdmin(EnvironnementAdmin):
    exclude = ["geom"]  # thousands of vertices: on the maps and in the OGC collection, not in a form
    list_display = ["identifiant", "nom", "type", "millesime"]
    list_filter = ["type", "millesime"]
    search_fields = ["identifiant", "nom"]

    def after_delete(self):
        recompute_couverture()  # in the deletion's transaction, as an import does
        super().after_delete()


@admin.register(CouvertureCommune)
class CouvertureCommuneAdmin(EnvironnementAdmin):
    """Derived from the areas: it follows them, it is not deleted on its own."""

    def has_delete_permission(self, request, obj=None):
        return False

    list_display = ["commune", "type", "millesime", "surface_ha", "part"]
    list_filter = ["type", "millesime"]
    search_fields = ["commune__nom", "commune__insee"]
    list_select_related = ["commune"]
