from django.contrib import admin

from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    # The key is generated, never typed: shown once saved, to be handed to the client.
    readonly_fields = ["key", "created_at"]
    fields = ["name", "is_active", "key", "created_at"]
