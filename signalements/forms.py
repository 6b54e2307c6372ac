from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from .idempotency import new_form_token
from .models import Categorie
from .questions.forms import QuestionFieldsMixin


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """0 to N uploaded files, counted here and decoded later (``photos.clean_photos``).

    Decoding a large photo costs CPU: the view does it only after the filing limit said yes.
    """

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > settings.SIGNALEMENT_MAX_PHOTOS:
            raise ValidationError(f"{settings.SIGNALEMENT_MAX_PHOTOS} photos au plus.")
        return files


class SignalementForm(QuestionFieldsMixin, forms.Form):
    lat = forms.FloatField(label="Latitude", min_value=-90, max_value=90)
    lon = forms.FloatField(label="Longitude", min_value=-180, max_value=180)
    categorie = forms.ModelChoiceField(
        label="Catégorie",
        queryset=Categorie.objects.filter(parent__isnull=True, is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choisissez une catégorie.", "invalid_choice": "Catégorie inconnue."},
    )
    description = forms.CharField(
        label="Description",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que vous constatez, et où précisément (devant le n°…, à l'angle de…).",
    )
    photos = PhotosField(label="Photos", help_text="Jusqu'à 3 photos JPEG, PNG ou WebP (10 Mo chacune).")
    email = forms.EmailField(
        label="Adresse électronique (facultatif)",
        required=False,
        help_text="Pour être informé de chaque étape. Elle n'est jamais publiée.",
    )
    # The asset chosen on the map (its identifier in the category); the report is placed on it.
    actif = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    # One-time token: the same form sent twice (double click, retry on a bad network) files once.
    idempotency_key = forms.RegexField(
        regex=r"^[A-Za-z0-9_-]{20,64}$", required=False, widget=forms.HiddenInput, initial=new_form_token
    )
    # Honeypot: hidden from people, filled in by robots.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    error_messages = {"location": "Placez le repère sur la carte (ou saisissez les coordonnées)."}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lat"].error_messages["required"] = self.error_messages["location"]
        self.fields["lon"].error_messages["required"] = self.error_messages["location"]
        if user is not None and user.is_authenticated:
            self.fields["email"].initial = user.email
        self.add_question_fields(self.fields["categorie"].queryset)

    @property
    def is_robot(self):
        return bool(self.cleaned_data.get("website"))
