from datetime import UTC, timedelta

import django_filters
from django import forms
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat, ExtractYear, LPad
from django.utils import timezone

from ..enums import PhotoKind, Status
from ..models import Categorie, Photo, Signalement

AGES = [
    ("1", "Moins de 24 h"),
    ("7", "Moins de 7 jours"),
    ("30", "Moins de 30 jours"),
    ("plus", "Plus de 30 jours"),
]
TRIAGE_STATUSES = [Status.NOUVEAU, Status.EN_ANALYSE, Status.REOUVERT]
# Signalement.reference in SQL (« S-2026-000123 »), to search on it.
REFERENCE = Concat(
    Value("S-"),
    Cast(ExtractYear("created_at", tzinfo=UTC), CharField()),
    Value("-"),
    LPad(Cast("pk", CharField()), 6, Value("0")),
    output_field=CharField(),
)


class QueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Référence ou mots de la description",
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "S-2026-000123"}),
    )
    commune = django_filters.ModelChoiceFilter(queryset=None, label="Commune", empty_label="Toutes")
    categorie = django_filters.ModelChoiceFilter(
        queryset=Categorie.objects.filter(parent__isnull=True), label="Catégorie", empty_label="Toutes"
    )
    # Check boxes, not a multiple select: its ten states never fit in a select box's height.
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, label="État", widget=forms.CheckboxSelectMultiple
    )
    age = django_filters.ChoiceFilter(
        choices=AGES, label="Ancienneté", method="filter_age", empty_label="Toutes"
    )
    photo = django_filters.ChoiceFilter(
        label="Photo",
        choices=[("avec", "Avec photo"), ("sans", "Sans photo")],
        method="filter_photo",
        empty_label="Toutes",
    )

    class Meta:
        model = Signalement
        fields = ["q", "commune", "categorie", "status"]

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["commune"].queryset = communes

    def filter_q(self, queryset, name, value):
        """A reference (whole or its beginning, « S-2026-0001 »), a number, or words all in the text."""
        value = value.strip()
        if not value:
            return queryset
        matches = Q(reference_sql__istartswith=value)
        if value.isdigit():
            matches |= Q(pk=int(value))
        matches |= Q(*[("description__unaccent__icontains", word) for word in value.split()])
        return queryset.annotate(reference_sql=REFERENCE).filter(matches)

    def filter_age(self, queryset, name, value):
        now = timezone.now()
        if value == "plus":
            return queryset.filter(created_at__lt=now - timedelta(days=30))
        return queryset.filter(created_at__gte=now - timedelta(days=int(value)))

    def filter_photo(self, queryset, name, value):
        has_photo = Exists(Photo.objects.filter(signalement=OuterRef("pk"), kind=PhotoKind.SIGNALEMENT))
        return queryset.filter(has_photo) if value == "avec" else queryset.exclude(has_photo)
