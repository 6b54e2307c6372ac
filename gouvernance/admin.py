from django.contrib import admin

from observatoire.accounts.admin_access import CapabilityAdminMixin
from observatoire.accounts.enums import Capability
from observatoire.core.admin import ReadOnlyAdminMixin

from .forms import DocumentAdminForm
from .models import (
    Algorithme,
    Comite,
    ContactPartenaire,
    Designation,
    DocumentGouvernance,
    HistoriqueDocument,
    JeuDeDonnees,
    Partenariat,
    Principe,
    Rappel,
    Reunion,
    Traitement,
    VersionDocument,
)


@admin.register(JeuDeDonnees)
class JeuDeDonneesAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_CATALOGUE
    list_display = ["titre", "theme", "producteur", "sensibilite", "publier", "derniere_mise_a_jour"]
    list_filter = ["theme", "sensibilite", "publier", "licence"]
    search_fields = ["titre", "description", "producteur"]
    prepopulated_fields = {"slug": ["titre"]}
    filter_horizontal = ["communes_autorisees", "organisations_autorisees"]


class _Governance(CapabilityAdminMixin):
    capability = Capability.MANAGE_GOVERNANCE


class _ReadOnlyInline(ReadOnlyAdminMixin, _Governance, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)


class PrincipeInline(_Governance, admin.TabularInline):
    model = Principe
    extra = 0


class VersionInline(_Governance, admin.TabularInline):
    model = VersionDocument
    extra = 0
    fields = ["numero", "fichier", "note", "taille", "deposited_by", "created_at"]
    readonly_fields = ["numero", "taille", "deposited_by", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False  # a published version stays as it was: upload a new one instead


class HistoriqueInline(_ReadOnlyInline):
    model = HistoriqueDocument
    fields = ["at", "from_status", "to_status", "by", "motif"]
    readonly_fields = fields


@admin.register(DocumentGouvernance)
class DocumentGouvernanceAdmin(_Governance, admin.ModelAdmin):
    form = DocumentAdminForm
    list_display = ["titre", "type", "status", "visibilite", "date_deliberation", "organisation"]
    list_filter = ["type", "status", "visibilite"]
    search_fields = ["titre", "resume", "reference_deliberation"]
    prepopulated_fields = {"slug": ["titre"]}
    readonly_fields = ["status", "date_effet", "date_abrogation"]
    fieldsets = [
        (None, {"fields": ["titre", "slug", "type", "visibilite", "organisation", "resume"]}),
        (
            "Statut",
            {
                "fields": [
                    "status",
                    "nouveau_statut",
                    "date_deliberation",
                    "reference_deliberation",
                    "motif",
                    "date_effet",
                    "date_abrogation",
                ]
            },
        ),
    ]
    inlines = [PrincipeInline, VersionInline, HistoriqueInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        target = form.cleaned_data.get("nouveau_statut")
        if target:
            obj.transition(
                target,
                by=request.user,
                motif=form.cleaned_data.get("motif", ""),
                date_deliberation=obj.date_deliberation,
                reference=obj.reference_deliberation,
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is VersionDocument:
            for version in formset.save(commit=False):
                version.deposited_by = request.user
                version.save()
            return
        super().save_formset(request, form, formset, change)


@admin.register(Designation)
class DesignationAdmin(_Governance, admin.ModelAdmin):
    list_display = ["fonction", "display_name", "delegue", "service", "contact", "debut", "fin"]
    list_filter = ["fonction", "delegue"]


class ContactInline(_Governance, admin.TabularInline):
    model = ContactPartenaire
    extra = 0


@admin.register(Partenariat)
class PartenariatAdmin(_Governance, admin.ModelAdmin):
    list_display = ["organisation", "sens_flux", "public", "depuis"]
    list_filter = ["sens_flux", "public"]
    search_fields = ["organisation__nom", "organisation__sigle"]
    readonly_fields = ["utilisateurs", "conventions"]
    inlines = [ContactInline]

    @admin.display(description="utilisateurs du portail")
    def utilisateurs(self, obj):
        return ", ".join(str(u) for u in obj.organisation.members.order_by("last_name")) or "aucun"

    @admin.display(description="conventions")
    def conventions(self, obj):
        rows = obj.organisation.conventions.all()
        return ", ".join(f"{d.titre} ({d.get_status_display()})" for d in rows) or "aucune"


class ReunionInline(_Governance, admin.TabularInline):
    model = Reunion
    extra = 0
    fields = ["date", "lieu"]
    show_change_link = True


class RappelInline(_ReadOnlyInline):
    model = Rappel
    fields = ["date_reunion", "sent_at", "destinataires"]
    readonly_fields = fields


@admin.register(Comite)
class ComiteAdmin(_Governance, admin.ModelAdmin):
    list_display = ["nom", "periodicite_mois", "rappel_jours"]
    filter_horizontal = ["membres"]
    inlines = [ReunionInline, RappelInline]


@admin.register(Reunion)
class ReunionAdmin(_Governance, admin.ModelAdmin):
    list_display = ["date", "comite", "lieu"]
    list_filter = ["comite"]
    date_hierarchy = "date"
    filter_horizontal = ["participants"]


@admin.register(Traitement)
class TraitementAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_GDPR_REGISTER
    list_display = ["nom", "base_legale", "donnees_sensibles", "actif", "updated_at"]
    list_filter = ["base_legale", "donnees_sensibles", "actif"]
    search_fields = ["nom", "finalite", "categories_donnees"]
    prepopulated_fields = {"code": ["nom"]}
    filter_horizontal = ["destinataires_organisations", "jeux"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Algorithme)
class AlgorithmeAdmin(_Governance, admin.ModelAdmin):
    list_display = ["nom", "ordre", "public", "updated_at"]
    list_filter = ["public"]
    prepopulated_fields = {"slug": ["nom"]}
