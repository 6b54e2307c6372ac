from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import geocoding
from ..geojson import BACKGROUND_BANDS, background_feature_collection, communes_feature_collection

MAX_SIMPLIFY_METRES = 5000


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class GeoJSONQuerySerializer(serializers.Serializer):
    simplify = serializers.FloatField(
        required=False,
        default=0,
        min_value=0,
        max_value=MAX_SIMPLIFY_METRES,
        help_text="Tolérance de simplification des contours, en mètres (0 = contours complets).",
    )
    epci = serializers.RegexField(
        r"^\d{9}$", required=False, help_text="SIREN d'un EPCI pour restreindre la liste."
    )


@method_decorator(login_not_required, name="dispatch")
class CommunesGeoJSONView(APIView):
    """Contours des communes (GeoJSON, EPSG:4326), données publiques."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter("simplify", OpenApiTypes.FLOAT, description="Tolérance en mètres (0 à 5000)."),
            OpenApiParameter("epci", OpenApiTypes.STR, description="SIREN d'EPCI (9 chiffres)."),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="FeatureCollection GeoJSON"),
        },
    )
    def get(self, request):
        query = GeoJSONQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        payload = communes_feature_collection(
            simplify=query.validated_data["simplify"],
            epci_siren=query.validated_data.get("epci"),
        )
        response = HttpResponse(payload, content_type="application/geo+json")
        response["Cache-Control"] = "public, max-age=3600"
        return response


class BackgroundQuerySerializer(serializers.Serializer):
    bande = serializers.ChoiceField(
        choices=list(BACKGROUND_BANDS),
        default="large",
        help_text="Bande de zoom : large (< 11), moyen (11 à 13), fin (14 et plus).",
    )


@method_decorator(login_not_required, name="dispatch")
class BackgroundGeoJSONView(APIView):
    """Fond de carte local (contours des communes et des arrondissements, avec étiquettes).

    Les cartes le dessinent quand aucun serveur de tuiles n'est configuré (MAP_TILES_URL vide).
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(
        parameters=[BackgroundQuerySerializer],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="FeatureCollection GeoJSON")},
    )
    def get(self, request):
        query = BackgroundQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        payload = background_feature_collection(query.validated_data["bande"])
        response = HttpResponse(payload, content_type="application/geo+json")
        response["Cache-Control"] = "public, max-age=3600"
        return response


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text="Adresse ou nom de commune (3 caractères au moins).")


@method_decorator(login_not_required, name="dispatch")
class PlaceSearchView(APIView):
    """Recherche d'adresse (API Adresse nationale si configurée) ou, à défaut, de commune."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(parameters=[SearchQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = SearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        source, results = geocoding.search(query.validated_data["q"])
        return Response({"source": source, "results": results})
