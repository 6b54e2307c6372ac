from datetime import timedelta

import django_filters
from django.db.models import Exists, OuterRef
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


class QueueFilter(django_filters.FilterSet):
    commune = django_filters.ModelChoiceFilter(queryset=None, label="Commune", empty_label="Toutes")
    categorie = django_filters.ModelChoiceFilter(
        queryset=Categorie.objects.filter(parent__isnull=True), label="Catégorie", empty_label="Toutes"
    )
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label="État")
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
        fields = ["commune", "categorie", "status"]

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["commune"].queryset = communes

    def filter_age(self, queryset, name, value):
        now = timezone.now()
        if value == "plus":
            return queryset.filter(created_at__lt=now - timedelta(days=30))
        return queryset.filter(created_at__gte=now - timedelta(days=int(value)))

    def filter_photo(self, queryset, name, value):
        has_photo = Exists(Photo.objects.filter(signalement=OuterRef("pk"), kind=PhotoKind.SIGNALEMENT))
        return queryset.filter(has_photo) if value == "avec" else queryset.exclude(has_photo)
