"""The metropolis manages each category's questions in the admin: a question with its choices inline."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from .models import Choix, Question


class ChoixFormSet(forms.BaseInlineFormSet):
    """Choices belong to choice questions only, and such a question needs at least two of them."""

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("valeur")
        ]
        if not self.instance.is_choice:
            if kept:
                raise ValidationError("Seules les questions à choix proposent des réponses : retirez-les.")
            return
        if len(kept) < 2:
            raise ValidationError("Une question à choix propose au moins deux réponses.")
        for form in kept:
            data = form.cleaned_data
            if data.get("bloquant") and not (data.get("message_blocage") or "").strip():
                form.add_error("message_blocage", "Dites où s'adresser à la place (ex. « appelez le 112 »).")


class ChoixInline(admin.TabularInline):
    model = Choix
    formset = ChoixFormSet
    fields = ["valeur", "libelle", "ordre", "bloquant", "message_blocage"]
    extra = 2


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["libelle", "code", "categorie", "type", "obligatoire", "publique", "ordre", "is_active"]
    list_filter = ["type", "obligatoire", "publique", "is_active", "categorie"]
    list_editable = ["ordre", "is_active"]
    search_fields = ["libelle", "code", "categorie__nom"]
    autocomplete_fields = ["categorie"]
    prepopulated_fields = {"code": ["libelle"]}
    fieldsets = [
        (None, {"fields": ["categorie", "libelle", "code", "aide", "type", "ordre"]}),
        ("Règles", {"fields": ["obligatoire", "publique", "is_active"]}),
    ]
    inlines = [ChoixInline]


class QuestionInline(admin.TabularInline):
    """A category's questions listed on its page; each is edited (with its choices) on its own page."""

    model = Question
    fields = ["libelle", "code", "type", "obligatoire", "publique", "ordre", "is_active"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "questions (ajoutez-en depuis « Questions »)"
