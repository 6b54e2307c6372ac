from django.contrib import admin, messages
from django.db import models

from .models import Envoi, EvenementEntrant, Liaison, new_secret


def _show_secret_once(request, liaison):
    messages.warning(
        request,
        f"Secret de signature de « {liaison.service} » : {liaison.secret} — copiez-le maintenant pour le "
        "service, il ne sera plus affiché (« Renouveler le secret » en crée un autre).",
    )


@admin.register(Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    list_display = ["service", "mode", "is_active", "suivi_par_sondage", "last_polled_at"]
    list_filter = ["mode", "is_active"]
    autocomplete_fields = ["service"]
    # The secret is never shown in the form: only once, when created or renewed.
    fields = [
        "service",
        "mode",
        "is_active",
        "open311_url",
        "open311_api_key",
        "open311_jurisdiction",
        "open311_codes",
        "suivi_par_sondage",
        "webhook_url",
        "last_polled_at",
    ]
    readonly_fields = ["last_polled_at"]
    # A service's address typed without scheme is read as https (Django 6's default, said today).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["renew_secret"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            _show_secret_once(request, obj)

    @admin.action(description="Renouveler le secret de signature")
    def renew_secret(self, request, queryset):
        for liaison in queryset:
            liaison.secret = new_secret()
            liaison.save(update_fields=["secret"])
            _show_secret_once(request, liaison)


@admin.register(Envoi)
class EnvoiAdmin(admin.ModelAdmin):
    list_display = [
        "signalement",
        "service",
        "mode",
        "etat",
        "attempts",
        "next_attempt_at",
        "reference_externe",
    ]
    list_filter = ["etat", "mode"]
    list_select_related = ["signalement", "service"]
    raw_id_fields = ["signalement"]
    readonly_fields = [field.name for field in Envoi._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(EvenementEntrant)
class EvenementEntrantAdmin(admin.ModelAdmin):
    list_display = ["event_id", "liaison", "received_at", "applied", "error"]
    list_filter = ["applied"]
    readonly_fields = [field.name for field in EvenementEntrant._meta.fields]

    def has_add_permission(self, request):
        return False
