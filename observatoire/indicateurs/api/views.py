import io

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from observatoire.core.params import bounded_int
from observatoire.core.spreadsheets import csv_dict_writer
from observatoire.territoires.api.views import GeoJSONRenderer
from observatoire.territoires.models import Epci

from ..cache import cached
from ..classes import METHODS
from ..geojson import communes_with_values
from ..models import Indicateur, Niveau, Valeur


class CSVRenderer(BaseRenderer):
    """A list of flat rows as CSV (UTF-8, comma-separated, header line), formulas neutralised."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, list):  # an error body: keep it readable
            data = [{"detail": str(data)}]
        buffer = io.StringIO()
        writer = csv_dict_writer(buffer, fieldnames=list(data[0]) if data else ["territoire"])
        writer.writeheader()
        writer.writerows(data)
        return buffer.getvalue().encode("utf-8")


class IndicateurSerializer(serializers.ModelSerializer):
    observatoire = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Indicateur
        fields = [
            *("code", "libelle", "unite", "definition", "methode", "source"),
            *("observatoire", "niveaux", "visibilite", "dernier_millesime"),
        ]


def visible_indicateurs(user):
    return Indicateur.objects.visible_to(user).select_related("observatoire")


@method_decorator(login_not_required, name="dispatch")
class IndicateurListView(generics.ListAPIView):
    """Catalogue of the indicators the caller may see."""

    serializer_class = IndicateurSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return visible_indicateurs(self.request.user)


@method_decorator(login_not_required, name="dispatch")
class ValeursView(APIView):
    """Values of one indicator; ``?territoire=`` (INSEE or EPCI SIREN), ``?millesime=``, ``?format=csv``."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("territoire", OpenApiTypes.STR, description="Code INSEE ou SIREN d'EPCI"),
            OpenApiParameter("millesime", OpenApiTypes.INT),
            OpenApiParameter("niveau", OpenApiTypes.STR, enum=["commune", "epci", "zone"]),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, code):
        indicateur = get_object_or_404(visible_indicateurs(request.user), code=code)
        values = Valeur.objects.filter(indicateur=indicateur).select_related("commune", "epci", "zone")
        territoire = request.query_params.get("territoire", "").strip()
        if territoire:
            values = values.filter(
                Q(commune__insee=territoire) | Q(epci__siren=territoire) | Q(zone__code=territoire)
            )
        niveau = request.query_params.get("niveau", "").strip()
        if niveau:
            if niveau not in Niveau.values:
                raise ValidationError({"niveau": [f"Niveau attendu : {', '.join(Niveau.values)}."]})
            values = values.filter(**{f"{niveau}__isnull": False})
        millesime = request.query_params.get("millesime")
        if millesime:
            try:
                values = values.filter(millesime=bounded_int(millesime, 0, 9999))
            except ValueError as error:
                raise ValidationError({"millesime": ["Année attendue, par exemple 2023."]}) from error
        rows = [_row(v) for v in values.order_by("millesime", "commune__insee", "epci__siren", "zone__code")]
        if request.accepted_renderer.format == "csv":
            return Response(
                rows, headers={"Content-Disposition": f'attachment; filename="{indicateur.code}.csv"'}
            )
        return Response({"indicateur": IndicateurSerializer(indicateur).data, "valeurs": rows})


def _row(valeur):
    """One value as a flat row: its territory's official code, name and level (zones: with their type)."""
    if valeur.commune_id:
        code, nom, niveau = valeur.commune.insee, valeur.commune.nom, Niveau.COMMUNE
    elif valeur.epci_id:
        code, nom, niveau = valeur.epci.siren, valeur.epci.nom, Niveau.EPCI
    else:
        code, nom, niveau = valeur.zone.code, valeur.zone.nom, f"zone {valeur.zone.type}"
    return {
        "territoire": code,
        "nom": nom,
        "niveau": niveau,
        "millesime": valeur.millesime,
        "valeur": valeur.valeur,
    }


class CarteQuerySerializer(serializers.Serializer):
    millesime = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
    methode = serializers.ChoiceField(choices=list(METHODS), default="quantiles")
    classes = serializers.IntegerField(default=5, min_value=2, max_value=9)


@method_decorator(login_not_required, name="dispatch")
class CommunesGeoJSONView(APIView):
    """The indicator on the commune shapes, with class breaks computed by the chosen method."""

    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(parameters=[CarteQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request, code):
        indicateur = get_object_or_404(visible_indicateurs(request.user), code=code)
        query = CarteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        millesime = query.validated_data.get("millesime") or indicateur.dernier_millesime
        epci = Epci.objects.filter(siren=settings.METROPOLE_EPCI_SIREN).values_list("id", flat=True).first()
        method, k = query.validated_data["methode"], query.validated_data["classes"]
        # Simplifying 92 outlines takes a good part of a second: kept until the values change.
        stamp = indicateur.updated_at.timestamp() if indicateur.updated_at else ""
        return Response(
            cached(
                "geojson",
                [indicateur.pk, stamp, millesime, epci, method, k],
                lambda: communes_with_values(indicateur, millesime, epci, method, k),
            )
        )
