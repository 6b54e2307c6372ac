from collections.abc import Mapping

from django.conf import settings
from rest_framework import serializers

from observatoire.territoires.geometry import parse_bbox, to_wgs84

from ..enums import Audience, RejectionReason, Status
from ..models import Categorie, Service, Signalement
from ..positions import public_coordinate
from ..questions.serializers import QuestionsField


class CoordinatesSerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)


class CategoriesQuerySerializer(CoordinatesSerializer):
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)


class ProchesQuerySerializer(CoordinatesSerializer):
    categorie = serializers.SlugRelatedField(
        slug_field="code", queryset=Categorie.objects.filter(parent__isnull=True, is_active=True)
    )
    actif = serializers.CharField(
        required=False, allow_blank=True, max_length=100,
        help_text="Équipement choisi : les signalements ouverts qui le visent viennent en premier.",
    )  # fmt: skip


class OfferSerializer(serializers.Serializer):
    code = serializers.CharField(source="categorie.code")
    nom = serializers.CharField(source="categorie.nom")
    description = serializers.CharField(source="categorie.description")
    notice = serializers.CharField(source="categorie.notice")
    ouverture = serializers.CharField()
    ouverte = serializers.BooleanField(source="is_open")
    explication = serializers.CharField()
    canal_alternatif = serializers.CharField()
    delai_cible_jours = serializers.IntegerField(allow_null=True)
    questions = QuestionsField()


class CommuneRefSerializer(serializers.Serializer):
    insee = serializers.CharField()
    nom = serializers.CharField()


class CategoriesAtPointSerializer(serializers.Serializer):
    """The answer of CategoriesAtPointView: the commune at the point, who asks, and the offers."""

    commune = CommuneRefSerializer()
    audience = serializers.ChoiceField(choices=Audience.choices)
    categories = OfferSerializer(many=True)


class PublicSignalementSerializer(serializers.ModelSerializer):
    """What anyone may see: no reporter data, free text only once triaged."""

    reference = serializers.CharField(read_only=True)
    categorie = serializers.CharField(source="categorie.code")
    categorie_nom = serializers.CharField(source="categorie.nom")
    sous_categorie = serializers.CharField(source="sous_categorie.nom", allow_null=True, default=None)
    commune = serializers.CharField(source="commune.insee")
    commune_nom = serializers.CharField(source="commune.nom")
    status_label = serializers.CharField(source="get_status_display")
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()

    class Meta:
        model = Signalement
        fields = [
            "id",
            "reference",
            "categorie",
            "categorie_nom",
            "sous_categorie",
            "commune",
            "commune_nom",
            "status",
            "status_label",
            "lon",
            "lat",
            "description",
            "soutiens",
            "created_at",
            "updated_at",
            "resolved_at",
        ]

    def _wgs84(self, obj):
        # Querysets annotate lon/lat in SQL (with_lonlat); a lone object is transformed here.
        if getattr(obj, "lon", None) is not None:
            return obj.lon, obj.lat
        if not hasattr(obj, "_wgs84"):
            obj._wgs84 = to_wgs84(obj.geom)
        return obj._wgs84.x, obj._wgs84.y

    def get_lon(self, obj) -> float:
        return public_coordinate(self._wgs84(obj)[0])

    def get_lat(self, obj) -> float:
        return public_coordinate(self._wgs84(obj)[1])

    def get_description(self, obj) -> str | None:
        return obj.description if obj.description_validee else None

    def to_representation(self, obj):
        """Same fields as declared (they document the schema), built directly: DRF's generic
        field machinery took half the time of a 50-row page."""
        lon, lat = self._wgs84(obj)
        return {
            "id": obj.pk,
            "reference": obj.reference,
            "categorie": obj.categorie.code,
            "categorie_nom": obj.categorie.nom,
            "sous_categorie": obj.sous_categorie.nom if obj.sous_categorie_id else None,
            "commune": obj.commune.insee,
            "commune_nom": obj.commune.nom,
            "status": obj.status,
            "status_label": obj.get_status_display(),
            "lon": public_coordinate(lon),
            "lat": public_coordinate(lat),
            "description": self.get_description(obj),
            "soutiens": obj.soutiens,
            "created_at": _iso(obj.created_at),
            "updated_at": _iso(obj.updated_at),
            "resolved_at": _iso(obj.resolved_at),
        }


def _iso(value):
    return serializers.DateTimeField().to_representation(value) if value else None


class SignalementCreateSerializer(CoordinatesSerializer):
    categorie = serializers.SlugRelatedField(
        slug_field="code", queryset=Categorie.objects.filter(parent__isnull=True, is_active=True)
    )
    description = serializers.CharField(max_length=2000)
    email = serializers.EmailField(required=False, allow_blank=True)
    photos = serializers.ListField(
        child=serializers.ImageField(), required=False, max_length=settings.SIGNALEMENT_MAX_PHOTOS
    )
    reponses = serializers.DictField(
        required=False,
        help_text="Réponses aux questions de la catégorie ({code : valeur}, liste de clés pour un choix "
        "multiple) ; les questions sont données par categories/.",
    )
    # On an asset the position is the asset's: lat/lon may then be left out.
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False)
    actif = serializers.CharField(
        required=False, allow_blank=True, max_length=100,
        help_text="Identifiant de l'équipement visé dans la catégorie (ex. EP-13201-00412) ; le "
        "signalement est alors placé sur lui. Voir actifs.geojson et actifs/proches/.",
    )  # fmt: skip

    def to_internal_value(self, data):
        """Without an asset lat and lon are required, said with the other fields' errors."""
        try:
            value, errors = super().to_internal_value(data), {}
        except serializers.ValidationError as error:
            value, errors = None, dict(error.detail)
        if isinstance(data, Mapping) and not str(data.get("actif") or "").strip():
            for name in ("lat", "lon"):
                if data.get(name) in (None, "") and name not in errors:
                    errors[name] = [serializers.Field.default_error_messages["required"]]
        if errors:
            raise serializers.ValidationError(errors)
        return value


class CreatedSignalementSerializer(PublicSignalementSerializer):
    token = serializers.CharField(read_only=True)
    tracking_url = serializers.CharField(source="get_tracking_url", read_only=True)

    class Meta(PublicSignalementSerializer.Meta):
        fields = [*PublicSignalementSerializer.Meta.fields, "token", "tracking_url"]

    def to_representation(self, obj):
        # Only the author gets these, in the answer to his own POST.
        return {**super().to_representation(obj), "token": obj.token, "tracking_url": obj.get_tracking_url()}


class TransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    is_public = serializers.BooleanField(required=False, default=True)
    reason = serializers.ChoiceField(choices=RejectionReason.choices, required=False, default="")
    parent = serializers.PrimaryKeyRelatedField(queryset=Signalement.objects.all(), required=False)
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.filter(is_active=True), required=False
    )
    date_intervention_prevue = serializers.DateField(
        required=False, help_text="Date d'intervention prévue, gardée quand le nouvel état est « planifié »."
    )


class ClustersQuerySerializer(serializers.Serializer):
    bbox = serializers.CharField(help_text="ouest,sud,est,nord en degrés (WGS84)")
    zoom = serializers.IntegerField(min_value=0, max_value=22)
    status = serializers.ChoiceField(choices=["ouverts", "resolus", "tous"], default="ouverts")
    categorie = serializers.SlugField(required=False)
    commune = serializers.RegexField(r"^[0-9AB]{5}$", required=False)

    def validate_bbox(self, value):
        try:
            return parse_bbox(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error
