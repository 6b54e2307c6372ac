from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organisation", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "organisation"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["communes", "organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "fonction", "organisation"]}),
        ("Rôles et périmètre", {"fields": ["groups", "communes", "is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "sigle", "type"]
    list_filter = ["type"]
    search_fields = ["nom", "sigle"]
