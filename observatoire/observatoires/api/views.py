from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from ..models import Contenu


class ContenuSerializer(serializers.ModelSerializer):
    observatoire = serializers.CharField(source="rubrique.observatoire.slug")
    rubrique = serializers.CharField(source="rubrique.nom")
    type_label = serializers.CharField(source="get_type_display")
    acces = serializers.CharField(source="get_access_url")

    class Meta:
        model = Contenu
        fields = [
            *("id", "observatoire", "rubrique", "type", "type_label", "titre", "description"),
            *("visibilite", "millesime", "publie_le", "acces"),
        ]


@method_decorator(login_not_required, name="dispatch")
class ContenuListView(generics.ListAPIView):
    """Contents of the observatories that the caller may see (public ones for everyone)."""

    serializer_class = ContenuSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["type"]

    def get_queryset(self):
        queryset = Contenu.objects.visible_to(self.request.user).select_related("rubrique__observatoire")
        observatoire = self.request.query_params.get("observatoire")
        return queryset.filter(rubrique__observatoire__slug=observatoire) if observatoire else queryset
