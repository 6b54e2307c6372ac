from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from observatoire.core.admin import ReadOnlyAdminMixin

from .actifs import admin as actifs_admin  # noqa: F401  (registers the assets' admin)
from .models import (
    Categorie,
    CategorieCommune,
    CategorieCommuneChange,
    Historique,
    Notification,
    Service,
    Signalement,
)
from .questions.admin import QuestionInline
from .services import log_activation_change


class SousCategorieInline(admin.TabularInline):
    model = Categorie
    fk_name = "parent"
    fields = ["code", "nom", "ordre", "is_active"]
    extra = 0


@admin.register(Categorie)
class CategorieAdmin(admin.ModelAdmin):
    list_display = ["nom", "code", "parent", "ordre", "is_active"]
    list_filter = ["is_active", ("parent", admin.EmptyFieldListFilter)]
    search_fields = ["nom", "code"]
    prepopulated_fields = {"code": ["nom"]}
    inlines = [SousCategorieInline, QuestionInline]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "commune", "email", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["nom"]
    autocomplete_fields = ["commune", "members"]


@admin.register(CategorieCommune)
class CategorieCommuneAdmin(admin.ModelAdmin):
    list_display = ["commune", "categorie", "ouverture", "delai_cible_jours", "service"]
    list_filter = ["ouverture", "categorie"]
    search_fields = ["commune__nom"]
    autocomplete_fields = ["commune", "service"]

    def save_model(self, request, obj, form, change):
        before = CategorieCommune.objects.get(pk=obj.pk).snapshot() if change else None
        super().save_model(request, obj, form, change)
        log_activation_change(obj, request.user, before)


@admin.register(CategorieCommuneChange)
class CategorieCommuneChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["ouverture", "changed_by", "changed_at"]
    readonly_fields = ["ouverture", "changed_by", "changed_at", "before", "after"]


class HistoriqueInline(admin.TabularInline):
    model = Historique
    fields = ["at", "from_status", "to_status", "by", "note", "is_public"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Signalement)
class SignalementAdmin(LeafletGeoAdmin):
    list_display = ["reference", "categorie", "commune", "status", "created_at"]
    list_filter = ["status", "categorie", "filed_by_agent"]
    search_fields = ["commune__nom", "description"]
    list_select_related = ["categorie", "commune"]
    readonly_fields = ["token", "status", "created_at", "resolved_at", "closed_at"]
    raw_id_fields = ["parent", "reporter"]
    inlines = [HistoriqueInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["signalement", "recipient", "subject", "created_at", "sent_at", "attempts"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]


from .liaisons import admin as liaisons_admin  # noqa: E402,F401
from .open311 import admin as open311_admin  # noqa: E402,F401
from .questions import admin as questions_admin  # noqa: E402,F401
