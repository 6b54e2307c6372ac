from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html, format_html_join

from observatoire.accounts.admin_access import CapabilityAdminMixin
from observatoire.accounts.enums import Capability
from observatoire.core.publish import publish_quietly
from observatoire.observatoires.models import Observatoire

from .base import find_importer, grouped_choices
from .models import ImportJob
from .tasks import read_progress, run_import

ARCHIVES = (".zip", ".gz")


class ImportJobForm(forms.ModelForm):
    kind = forms.ChoiceField(label="Type de fichier", choices=())

    class Meta:
        model = ImportJob
        fields = ["kind", "fichier", "membre", "dry_run"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # absent on the read-only page of a past job
            # Some fifty kinds: grouped by observatoire, as the admin's menu groups the data; importers
            # of no observatoire (signalements' assets) come last, under their app's name.
            names = dict(Observatoire.objects.values_list("slug", "nom"))
            self.fields["kind"].choices = grouped_choices(names)

    def clean(self):
        cleaned = super().clean()
        importer = find_importer(cleaned.get("kind"))
        fichier = cleaned.get("fichier")
        if importer and fichier and importer.extensions:
            name = fichier.name.lower()
            # Producers ship their files zipped or gzipped: the importer opens the archive itself.
            accepted = (*importer.extensions, *ARCHIVES)
            if not name.endswith(accepted):
                self.add_error(
                    "fichier",
                    f"Extension attendue pour « {importer.label} » : {', '.join(dict.fromkeys(accepted))}.",
                )
        return cleaned


@admin.register(ImportJob)
class ImportJobAdmin(CapabilityAdminMixin, admin.ModelAdmin):
    capability = Capability.MANAGE_OBSERVATORIES
    form = ImportJobForm
    list_display = ["__str__", "status", "avancement", "message_court", "created_by"]
    list_filter = ["status", "kind"]
    readonly_fields = [
        *("kind", "fichier", "membre", "dry_run", "status", "avancement", "message"),
        *("bilan", "erreurs", "created_by", "created_at", "started_at", "finished_at"),
    ]
    change_form_template = "admin/imports/importjob/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_fields(self, request, obj=None):
        return self.readonly_fields if obj else ["kind", "fichier", "membre", "dry_run"]

    def has_change_permission(self, request, obj=None):
        # A job is a record of what happened: it is read, never edited.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: publish_quietly(run_import, obj.pk))

    @admin.display(description="avancement")
    def avancement(self, obj):
        if obj.status in ("termine",):
            return "100 %"
        progress = read_progress(obj)
        if not progress["total"]:
            return "—"
        percent = round(100 * progress["done"] / progress["total"])
        return format_html(
            '<progress max="100" value="{}"></progress> {} % ({} / {})',
            percent, percent, progress["done"], progress["total"],
        )  # fmt: skip

    @admin.display(description="message")
    def message_court(self, obj):
        return obj.message[:120]

    @admin.display(description="bilan")
    def bilan(self, obj):
        if not obj.summary:
            return "—"
        rows = (
            (key.replace("_", " "), len(value) if isinstance(value, list) else value)
            for key, value in obj.summary.items()
        )
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} : {}</li>", rows))

    @admin.display(description="erreurs")
    def erreurs(self, obj):
        if not obj.errors:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((e,) for e in obj.errors)))
