from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from .acces_views import restricted_download
from .models import JeuDeDonnees, Telechargement


@method_decorator(login_not_required, name="dispatch")  # the token is checked by DRF, not the session
class TelechargementAPIView(APIView):
    """CSV extraction of a restricted dataset with an API token (``Authorization: Token …``), audited."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, slug):
        jeu = get_object_or_404(JeuDeDonnees.objects.exclude(source_technique=""), slug=slug)
        response, decision = restricted_download(request, jeu, Telechargement.Canal.API)
        if response is None:
            raise PermissionDenied(decision.reason)
        return response
