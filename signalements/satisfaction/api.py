"""The opinion in the API, by the report's tracking token (the token is the credential)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from observatoire.core.api.schema import error

from ..models import Signalement
from . import services
from .models import Avis


class AvisSerializer(serializers.ModelSerializer):
    class Meta:
        model = Avis
        fields = ["probleme_regle", "note", "commentaire", "created_at"]
        read_only_fields = ["created_at"]
        extra_kwargs = {
            "probleme_regle": {
                "error_messages": {"required": "Indiquez si le problème est réglé (true ou false)."}
            },
            "note": {
                "min_value": 1,
                "max_value": 5,
                "error_messages": {
                    "min_value": "La note va de 1 à 5.",
                    "max_value": "La note va de 1 à 5.",
                    "invalid": "La note est un nombre entier de 1 à 5.",
                },
            },
        }


class AvisStateSerializer(serializers.Serializer):
    reference = serializers.CharField()
    avis_possible = serializers.BooleanField(help_text="Un avis peut être donné maintenant.")
    avis = AvisSerializer(allow_null=True)


class AvisCreatedSerializer(serializers.Serializer):
    avis = AvisSerializer()
    rouvert = serializers.BooleanField(help_text="« Non réglé » a rouvert le signalement.")
    detail = serializers.CharField()
    status = serializers.CharField(help_text="État du signalement après l'avis.")


@method_decorator(login_not_required, name="dispatch")
class AvisAPIView(APIView):
    """Read or give the reporter's opinion on a resolved report (once)."""

    # The tracking token authorises; no session, hence no CSRF check for a browser's cookies.
    authentication_classes = []
    permission_classes = [AllowAny]

    def report(self, token):
        return get_object_or_404(
            Signalement.objects.only("pk", "token", "status", "resolved_at", "created_at"), token=token
        )

    @extend_schema(responses=AvisStateSerializer)
    def get(self, request, token):
        report = self.report(token)
        avis = Avis.objects.filter(signalement_id=report.pk).first()
        data = {
            "reference": report.reference,
            "avis_possible": avis is None and services.can_give(report),
            "avis": AvisSerializer(avis).data if avis else None,
        }
        return Response(data)

    @extend_schema(
        request=AvisSerializer,
        responses={
            201: AvisCreatedSerializer,
            400: error("Champs invalides."),
            409: error("Avis déjà donné, ou signalement pas encore résolu."),
        },
    )
    def post(self, request, token):
        report = self.report(token)
        serializer = AvisSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            outcome = services.record(
                report,
                token=token,
                probleme_regle=data["probleme_regle"],
                note=data.get("note"),
                commentaire=data.get("commentaire", ""),
            )
        except services.AvisError as error:
            return Response({"detail": str(error)}, status=status.HTTP_409_CONFLICT)
        if outcome.reopened:
            detail = "Avis enregistré ; le signalement est rouvert."
        elif outcome.reopen_refused:
            detail = f"Avis enregistré. {outcome.reopen_refused}"
        else:
            detail = "Avis enregistré."
        report.refresh_from_db(fields=["status"])
        body = {
            "avis": AvisSerializer(outcome.avis).data,
            "rouvert": outcome.reopened,
            "detail": detail,
            "status": report.status,
        }
        return Response(body, status=status.HTTP_201_CREATED)
