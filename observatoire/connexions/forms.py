from django import forms
from django.db.models import Q

from .enums import EventType


class JournalFilterForm(forms.Form):
    type = forms.ChoiceField(label="Événement", required=False, choices=[("", "Tous"), *EventType.choices])
    compte = forms.CharField(label="Compte ou auteur (adresse)", required=False, max_length=254)
    ip = forms.GenericIPAddressField(label="Adresse IP", required=False)
    du = forms.DateField(label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label="Au (inclus)", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            self.add_error("au", "La date de fin précède la date de début.")
        return data

    def filter(self, events):
        if not self.is_valid():
            return events.none()
        data = self.cleaned_data
        if data["type"]:
            events = events.filter(type=data["type"])
        if data["compte"]:
            events = events.filter(
                Q(email__icontains=data["compte"]) | Q(actor_email__icontains=data["compte"])
            )
        if data["ip"]:
            events = events.filter(ip=data["ip"])
        if data["du"]:
            events = events.filter(at__date__gte=data["du"])
        if data["au"]:
            events = events.filter(at__date__lte=data["au"])
        return events
