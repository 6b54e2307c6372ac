import json

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from observatoire.territoires.api.views import GeoJSONRenderer
from observatoire.territoires.models import Commune

from .. import queries

CACHE_SECONDS = 24 * 3600


def _cached_geojson(name, build):
    """The network's GeoJSON from Redis, rebuilt when a feed changes (the version is in the key)."""
    key = f"mobilite:{name}:{queries.network_version()}"
    payload = cache.get(key)
    if payload is None:
        payload = json.dumps(build(), separators=(",", ":"), ensure_ascii=False)
        cache.set(key, payload, CACHE_SECONDS)
    response = HttpResponse(payload, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


@method_decorator(login_not_required, name="dispatch")
class ArretsGeoJSONView(APIView):
    """Arrêts des réseaux de transport (GeoJSON, EPSG:4326) avec leurs passages un jour de semaine type."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return _cached_geojson("arrets", queries.stops_geojson)


@method_decorator(login_not_required, name="dispatch")
class LignesGeoJSONView(APIView):
    """Tracé des lignes (GeoJSON, EPSG:4326), par les arrêts d'une course type par sens."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return _cached_geojson("lignes", queries.lines_geojson)


class FluxQuerySerializer(serializers.Serializer):
    millesime = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    commune = serializers.RegexField(r"^[0-9][0-9AB][0-9]{3}$", required=False, help_text="Code INSEE")
    limite = serializers.IntegerField(default=30, min_value=1, max_value=500)

    def validate_commune(self, value):
        pk = Commune.objects.filter(insee=value, epci__isnull=False).values_list("pk", flat=True).first()
        if pk is None:
            raise serializers.ValidationError("Commune inconnue du territoire.")
        return pk


@method_decorator(login_not_required, name="dispatch")
class FluxGeoJSONView(APIView):
    """Principaux flux domicile-travail entre communes du territoire (GeoJSON, EPSG:4326)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(parameters=[FluxQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = FluxQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        millesime = query.validated_data.get("millesime") or next(iter(queries.flux_millesimes()), None)
        flows = queries.top_flows(
            millesime, query.validated_data.get("commune"), query.validated_data["limite"]
        )
        return Response(queries.flows_geojson(flows, millesime))
