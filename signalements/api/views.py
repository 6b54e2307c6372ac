import hashlib

import django_filters
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from observatoire.core.client import client_ip
from observatoire.core.params import AwareDateTimeFilter
from observatoire.territoires.api.views import GeoJSONRenderer
from observatoire.territoires.models import Commune

from .. import idempotency, services, workflow
from ..actifs.lookup import actif_for
from ..actifs.models import Actif
from ..availability import audience_of, offers
from ..clusters import CACHE_SECONDS, clusters
from ..enums import Audience
from ..models import Signalement
from ..photos import clean_photos
from ..questions.serializers import answers_error, with_questions
from ..ratelimit import RateLimited, check_filing, filing_client
from . import serializers as s

LIST_CACHE_SECONDS = 30
IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER,
    str,
    OpenApiParameter.HEADER,
    description=(
        "Facultatif. Une clé unique par signalement (un UUID, par exemple) : si la requête est "
        "renvoyée avec la même clé (réseau coupé, délai dépassé), la réponse est le signalement déjà "
        f"déposé, pas un second. Valable {settings.SIGNALEMENT_IDEMPOTENCY_HOURS} h ; la même clé avec "
        "un autre contenu donne 422."
    ),
)


class CachedCountPaginator(Paginator):
    """Counting a million rows costs ~100 ms; the total of a given query is cached for a minute."""

    @cached_property
    def count(self):
        sql, params = self.object_list.query.sql_with_params()
        key = "signalements:count:" + hashlib.sha256(f"{sql}{params}".encode()).hexdigest()
        total = cache.get(key)
        if total is None:
            total = super().count
            cache.set(key, total, 60)
        return total


class PageSizePagination(PageNumberPagination):
    django_paginator_class = CachedCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class SignalementFilter(django_filters.FilterSet):
    commune = django_filters.CharFilter(method="filter_commune", label="Code INSEE de la commune")
    categorie = django_filters.CharFilter(field_name="categorie__code")
    # distinct=False: rows cannot repeat here, and DISTINCT over every column (geometry too) costs ~80 ms.
    status = django_filters.MultipleChoiceFilter(
        choices=Signalement._meta.get_field("status").choices, distinct=False
    )
    created_after = AwareDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = AwareDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Signalement
        fields = ["commune", "categorie", "status"]

    def filter_commune(self, queryset, name, value):
        # A constant commune_id lets PostgreSQL walk the (commune, status, created_at) index.
        commune_id = Commune.objects.filter(insee=value).values_list("id", flat=True).first()
        return queryset.filter(commune_id=commune_id)


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _filing_error(error):
    if (error.field or "").startswith("question-") or error.field == "reponses":
        return answers_error(error)
    return APIValidationError({error.field or "non_field_errors": [str(error)]})


@method_decorator(login_not_required, name="dispatch")
class CategoriesAtPointView(APIView):
    """Categories at a point, for the person asking: open, agents-only or closed, with the reason."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[s.CategoriesQuerySerializer], responses=s.CategoriesAtPointSerializer)
    def get(self, request):
        query = _validated(s.CategoriesQuerySerializer, request.query_params)
        try:
            commune = services.commune_at(query["lon"], query["lat"])
        except services.FilingError as error:
            raise _filing_error(error) from error
        audience = audience_of(request.user, commune)
        if query.get("audience") == Audience.AGENT and audience != Audience.AGENT:
            raise PermissionDenied("Vous n'êtes pas agent de cette commune.")
        audience = query.get("audience") or audience
        return Response(
            {
                "commune": {"insee": commune.insee, "nom": commune.nom},
                "audience": audience,
                "categories": s.OfferSerializer(with_questions(offers(commune, audience)), many=True).data,
            }
        )


@method_decorator(login_not_required, name="dispatch")
class ProchesView(APIView):
    """Open reports of the same category nearby, to support one instead of filing a duplicate."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[s.ProchesQuerySerializer], responses=s.PublicSignalementSerializer(many=True))
    def get(self, request):
        query = _validated(s.ProchesQuerySerializer, request.query_params)
        # An unknown or retired asset proposes what is near the point, as without one.
        actif = Actif.objects.in_use(query["categorie"]).filter(identifiant=query.get("actif") or "").first()
        reports = services.similar_open_reports(query["categorie"], query["lon"], query["lat"], actif)
        data = s.PublicSignalementSerializer(reports, many=True).data
        for item, report in zip(data, reports, strict=True):
            item["meme_equipement"] = actif is not None and report.actif_id == actif.pk
        return Response(data)


@method_decorator(login_not_required, name="dispatch")
class SignalementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reports: public fields for everyone; creation open to all; transitions for authorised roles."""

    serializer_class = s.PublicSignalementSerializer
    permission_classes = [AllowAny]
    filterset_class = SignalementFilter
    pagination_class = PageSizePagination
    rate_limited = ("create",)  # check_filing answers 429: declared in the OpenAPI schema
    queryset = (
        Signalement.objects.select_related("commune", "categorie", "sous_categorie")
        # Each row would otherwise carry its commune's whole boundary; its own point comes as lon/lat.
        .defer("commune__geom", "geom")
        .exclude(rejection_reason="spam")
        .with_lonlat()
    )

    def list(self, request, *args, **kwargs):
        """Anonymous visitors all ask for the same public pages: cached 30 s. Staff get fresh data."""
        if request.user.is_authenticated:
            return super().list(request, *args, **kwargs)
        key = "signalements:liste:" + hashlib.sha256(request.get_full_path().encode()).hexdigest()
        data = cache.get(key)
        if data is None:
            response = super().list(request, *args, **kwargs)
            if response.status_code == status.HTTP_200_OK:
                cache.set(key, response.data, LIST_CACHE_SECONDS)
            return response
        return Response(data)

    @extend_schema(
        request=s.SignalementCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: s.CreatedSignalementSerializer,
            422: OpenApiResponse(description="Idempotency-Key déjà employée pour un autre contenu."),
        },
    )
    def create(self, request):
        data = _validated(s.SignalementCreateSerializer, request.data)
        try:
            actif = actif_for(data["categorie"], data.get("actif"))
        except services.FilingError as error:
            raise _filing_error(error) from error
        lon, lat = services.actif_lonlat(actif, data["categorie"]) if actif else (data["lon"], data["lat"])
        content = {
            "lon": lon,
            "lat": lat,
            "categorie": data["categorie"],
            "description": data["description"],
            "email": data.get("email", ""),
            "reponses": data.get("reponses", {}),
        }
        uploads = data.get("photos", [])
        try:
            claim = idempotency.Claim.of(
                "api", filing_client(request), idempotency.key_from(request), **content, photos=uploads
            )
            previous = claim.previous()
        except idempotency.IdempotencyError as error:
            return Response({"detail": str(error)}, status=error.status)
        if previous is not None:
            return Response(s.CreatedSignalementSerializer(previous).data, status=status.HTTP_201_CREATED)
        try:
            check_filing(request)
        except RateLimited as error:
            return Response(
                {"detail": str(error)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(error.retry_after)},
            )
        try:
            photos = clean_photos(uploads)
        except ValidationError as error:
            raise APIValidationError({"photos": error.messages}) from error
        try:
            report = claim.file(
                lambda: services.file_signalement(
                    user=request.user, **content, photos=photos, ip=client_ip(request), actif=actif
                )
            )
        except services.FilingError as error:
            raise _filing_error(error) from error
        return Response(s.CreatedSignalementSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TransitionSerializer, responses=s.PublicSignalementSerializer)
    @action(detail=True, methods=["post"])
    def transitions(self, request, pk=None):
        report = self.get_object()
        data = _validated(s.TransitionSerializer, request.data)
        try:
            workflow.transition_from_form(report, request.user, data)
        except workflow.TransitionError as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        report.refresh_from_db()
        return Response(s.PublicSignalementSerializer(report).data)


@method_decorator(login_not_required, name="dispatch")
class ClustersView(APIView):
    """Reports on a map: clusters with counts, or points at street zoom. No personal data."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [GeoJSONRenderer, JSONRenderer]

    @extend_schema(parameters=[s.ClustersQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = _validated(s.ClustersQuerySerializer, request.query_params)
        payload = clusters(
            query["bbox"], query["zoom"], query["status"], query.get("categorie"), query.get("commune")
        )
        response = HttpResponse(payload, content_type="application/geo+json")
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        return response
