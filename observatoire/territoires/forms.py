"""A filter on one commune of the territory, shared by the thematic pages (foncier, environnement)."""

from django import forms

from .models import Commune, Epci


def territory_communes():
    return Commune.objects.filter(epci__isnull=False).defer("geom").order_by("nom")


class TerritoireForm(forms.Form):
    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        to_field_name="insee",
        required=False,
        empty_label="Toute la métropole",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = territory_communes()

    def territoire(self):
        """(commune or None, EPCI or None, display name): the chosen commune, else the metropolis."""
        commune = self.cleaned_data.get("commune") if self.is_valid() else None
        if commune:
            return commune, None, commune.nom
        epci = Epci.objects.filter(communes__isnull=False).distinct().first()
        return None, epci, epci.nom if epci else "Métropole"
