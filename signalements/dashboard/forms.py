"""GET filters of the dashboard and of the public map.

A wrong value never breaks a page: the field shows a French error and its default is used.
The GeoJSON endpoint, for programs, answers 400 instead.
"""

from django import forms

from observatoire.territoires.geometry import parse_bbox
from observatoire.territoires.models import Commune

from ..models import Categorie
from . import hotspots
from .geojson import STATUS_GROUPS

PERIODS = [(3, "3 derniers mois"), (6, "6 derniers mois"), (12, "12 derniers mois")]
STATUS_LABELS = {"ouverts": "Ouverts", "resolus": "Résolus", "tous": "Tous"}
STATUS_CHOICES = [(value, STATUS_LABELS[value]) for value in STATUS_GROUPS]


def categorie_field():
    return forms.ModelChoiceField(
        label="Catégorie",
        queryset=Categorie.objects.filter(parent__isnull=True, is_active=True),
        to_field_name="code",
        required=False,
        empty_label="Toutes les catégories",
        error_messages={"invalid_choice": "Catégorie inconnue : toutes les catégories sont affichées."},
    )


def bounded_int(label, bounds, default, suffix):
    low, high = bounds
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        help_text=f"Entre {low} et {high} {suffix} (par défaut {default}).",
        widget=forms.NumberInput(attrs={"placeholder": str(default)}),
        error_messages={
            "invalid": f"Saisissez un nombre entier entre {low} et {high}.",
            "min_value": f"{low} {suffix} au minimum : la valeur par défaut ({default}) est utilisée.",
            "max_value": f"{high} {suffix} au maximum : la valeur par défaut ({default}) est utilisée.",
        },
    )


class FilterForm(forms.Form):
    """A form whose invalid or missing fields fall back to their default."""

    defaults = {}

    @classmethod
    def from_query(cls, query):
        """Bind to the query string, filling absent fields with their default so they show it."""
        data = query.copy()
        for name, default in cls.defaults.items():
            if default is not None and not data.get(name):
                data[name] = str(default)
        return cls(data)

    def values(self):
        """The values to use; a field in error shows its default again, next to its message."""
        self.is_valid()
        values = {}
        for name, default in self.defaults.items():
            value = None if name in self.errors else self.cleaned_data.get(name)
            values[name] = default if value in (None, "") else value
        if self.errors:
            self.data = self.data.copy()
            for name in self.errors:
                if name in self.defaults:
                    self.data[name] = "" if self.defaults[name] is None else str(self.defaults[name])
        return values


class DashboardFilterForm(FilterForm):
    periode = forms.TypedChoiceField(
        label="Période",
        choices=PERIODS,
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "Période inconnue : les 12 derniers mois sont affichés."},
    )
    categorie = categorie_field()
    rayon = bounded_int("Rayon des points noirs", hotspots.EPS_BOUNDS, hotspots.EPS_METRES, "mètres")
    minimum = bounded_int(
        "Signalements par point noir", hotspots.MIN_POINTS_BOUNDS, hotspots.MIN_POINTS, "signalements"
    )
    jours = bounded_int("Ancienneté prise en compte", hotspots.DAYS_BOUNDS, hotspots.DAYS, "jours")

    defaults = {
        "periode": 12,
        "categorie": None,
        "rayon": hotspots.EPS_METRES,
        "minimum": hotspots.MIN_POINTS,
        "jours": hotspots.DAYS,
    }


class PublicMapForm(FilterForm):
    status = forms.ChoiceField(
        label="Signalements",
        choices=STATUS_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Statut inconnu : choisissez ouverts, résolus ou tous."},
    )
    categorie = categorie_field()

    defaults = {"status": "ouverts", "categorie": None}


class GeoJSONParamsForm(forms.Form):
    """Parameters of the public GeoJSON endpoint; any error is a 400 for the caller."""

    status = forms.ChoiceField(
        choices=STATUS_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Paramètre status inconnu : utilisez ouverts, resolus ou tous."},
    )
    categorie = forms.ModelChoiceField(
        queryset=Categorie.objects.filter(parent__isnull=True),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": "Paramètre categorie inconnu : donnez le code d'une catégorie."},
    )
    commune = forms.ModelChoiceField(
        queryset=Commune.objects.defer("geom"),
        to_field_name="insee",
        required=False,
        error_messages={
            "invalid_choice": "Paramètre commune inconnu : donnez un code INSEE de la métropole."
        },
    )
    bbox = forms.CharField(required=False)

    def clean_status(self):
        return self.cleaned_data["status"] or "tous"

    def clean_bbox(self):
        raw = self.cleaned_data["bbox"].strip()
        if not raw:
            return None
        try:
            return parse_bbox(raw)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None

    def first_error(self):
        for errors in self.errors.values():
            return errors[0]
        return ""
