from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from observatoire.accounts.backends import TokenAuthentication

from .acces_views import csv_download
from .gate import GatedRowsAPIMixin, RowGate
from .models import Telechargement


@method_decorator(login_not_required, name="dispatch")  # the token is checked by DRF, not the session
class TelechargementAPIView(GatedRowsAPIMixin, APIView):
    """CSV extraction of a restricted dataset with an API token (``Authorization: Token …``), audited."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    row_gate = RowGate(slug_kwarg="slug", canal=Telechargement.Canal.API, format="csv", api=True)

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def get(self, request, slug):
        return csv_download(self.jeu)  # the gate has admitted and logged the request
