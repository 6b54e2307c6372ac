"""Imported fiscalité data, read only: it changes through the importers (admin « Imports de fichiers »)."""

from django.contrib import admin

from observatoire.core.admin import ImportedRowsAdmin

from .models import AgregatComptable, CriteresDotation, ElementImposition
from .tasks import schedule_recompute


class ReadOnlyAdmin(ImportedRowsAdmin):
    recompute = staticmethod(schedule_recompute)
    list_select_related = ["commune"]


@admin.register(ElementImposition)
class ElementImpositionAdmin(ReadOnlyAdmin):
    list_display = ["commune", "annee", "element", "valeur", "secret"]
    list_filter = ["annee", "element", "secret"]
    search_fields = ["commune__nom", "commune__insee"]


@admin.register(AgregatComptable)
class AgregatComptableAdmin(ReadOnlyAdmin):
    list_display = ["commune", "epci", "exercice", "agregat", "montant", "population"]
    list_filter = ["exercice", "agregat"]
    search_fields = ["commune__nom", "commune__insee", "epci__nom", "agregat"]
    list_select_related = ["commune", "epci"]


@admin.register(CriteresDotation)
class CriteresDotationAdmin(ReadOnlyAdmin):
    list_display = ["commune", "annee", "population_dgf", "potentiel_financier_par_habitant", "effort_fiscal"]
    list_filter = ["annee", "strate"]
    search_fields = ["commune__nom", "commune__insee"]
