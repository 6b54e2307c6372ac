"""The second factor's devices in the admin: seen and removed (a lost phone), never read.

django-otp's own admin pages show the TOTP secret, its QR code and the recovery codes to whoever
may view them; ours show none of it, offer no way to add a device for someone else (each user
enrols their own) and journal a removal with who did it.
"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from observatoire.connexions import journal
from observatoire.connexions.enums import EventType
from observatoire.core.admin import ReadOnlyAdminMixin

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class DeviceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = fields

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _journal_removal(request, [obj])

    def delete_queryset(self, request, queryset):
        removed = list(queryset.select_related("user"))
        super().delete_queryset(request, queryset)
        _journal_removal(request, removed)


def _journal_removal(request, devices):
    for device in devices:
        journal.record(
            EventType.MFA_REMOVED,
            request=request,
            user=device.user,
            actor=request.user,
            device=device._meta.verbose_name,
            name=device.name,
        )


admin.site.register(TOTPDevice, DeviceAdmin)
admin.site.register(StaticDevice, DeviceAdmin)
