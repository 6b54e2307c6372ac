"""The assets of a category on the filing map: those in view, and the nearest ones as a list.

A bbox GeoJSON endpoint rather than vector tiles: the filing map is Leaflet (the tiles framework
draws with MapLibre), assets show only at street zoom (≥ 17, about a kilometre across), where a
view holds tens to a few hundred points, and each marker must be a keyboard-reachable choice
whose identifier the form sends. The answer is capped (``LIMIT``, nearest the centre first) and
says when it was.
"""

import json

from django.contrib.auth.decorators import login_not_required
from django.contrib.gis.db.models.functions import AsGeoJSON, Distance, Transform
from django.contrib.gis.geos import Point, Polygon
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from observatoire.territoires.api.views import GeoJSONRenderer
from observatoire.territoires.geometry import parse_bbox, to_storage

from ..models import Categorie
from .models import Actif

LIMIT = 300
MAX_SPAN_DEGREES = 0.05  # about 4 km: wider than any street-zoom view
NEAREST_METRES = 150
NEAREST_COUNT = 8
FIELDS = ("identifiant", "nature", "libelle")


class CategorieField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        queryset = Categorie.objects.filter(parent__isnull=True, is_active=True)
        super().__init__(slug_field="code", queryset=queryset, **kwargs)


class BboxQuerySerializer(serializers.Serializer):
    categorie = CategorieField()
    bbox = serializers.CharField(help_text="ouest,sud,est,nord en degrés (WGS84), 0,05° de côté au plus")

    def validate_bbox(self, value):
        try:
            west, south, east, north = parse_bbox(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error
        if east - west > MAX_SPAN_DEGREES or north - south > MAX_SPAN_DEGREES:
            raise serializers.ValidationError("Zone trop grande : zoomez au niveau de la rue.")
        return west, south, east, north


class NearestQuerySerializer(serializers.Serializer):
    categorie = CategorieField()
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)


def _validated(serializer_class, params):
    serializer = serializer_class(data=params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _feature(actif):
    properties = {name: getattr(actif, name) for name in FIELDS}
    properties["description"] = actif.description
    if hasattr(actif, "distance"):
        properties["distance_m"] = round(actif.distance.m)
    return {"type": "Feature", "geometry": json.loads(actif.wgs84), "properties": properties}


def _with_wgs84(queryset):
    return queryset.annotate(wgs84=AsGeoJSON(Transform("geom", 4326), precision=6)).only(*FIELDS, "geom")


@method_decorator(login_not_required, name="dispatch")
class ActifsBboxView(APIView):
    """The category's assets in use within a street-zoom view, as GeoJSON (EPSG:4326)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(parameters=[BboxQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = _validated(BboxQuerySerializer, request.query_params)
        west, south, east, north = query["bbox"]
        box = to_storage(Polygon.from_bbox((west, south, east, north)))
        centre = to_storage(Point((west + east) / 2, (south + north) / 2, srid=4326))
        in_view = Actif.objects.in_use(query["categorie"]).filter(geom__intersects=box)
        # Capped nearest the centre first: a crowded view keeps what the person is looking at.
        actifs = list(_with_wgs84(in_view).order_by(Distance("geom", centre))[: LIMIT + 1])
        return Response(
            {
                "type": "FeatureCollection",
                "features": [_feature(actif) for actif in actifs[:LIMIT]],
                "limite_atteinte": len(actifs) > LIMIT,
            },
            headers={"Cache-Control": "public, max-age=60"},
        )


@method_decorator(login_not_required, name="dispatch")
class ActifsProchesView(APIView):
    """The category's assets nearest a point (150 m, eight at most): the map's list alternative."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(parameters=[NearestQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = _validated(NearestQuerySerializer, request.query_params)
        point = to_storage(Point(query["lon"], query["lat"], srid=4326))
        nearest = Actif.objects.in_use(query["categorie"]).nearest(point, NEAREST_METRES, NEAREST_COUNT)
        nearest = nearest.annotate(wgs84=AsGeoJSON(Transform("geom", 4326), precision=6))
        return Response({"type": "FeatureCollection", "features": [_feature(actif) for actif in nearest]})
