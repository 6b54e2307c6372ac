"""The shapes of the tabular API's answers, for the OpenAPI schema (the views build plain dicts)."""

from rest_framework import serializers


class LiensSerializer(serializers.Serializer):
    profile = serializers.URLField(help_text="Colonnes, types et opérateurs du jeu.")
    data = serializers.URLField(help_text="Les lignes en JSON, filtrées et paginées.")
    csv = serializers.URLField(help_text="Les lignes filtrées en CSV, toutes d'un coup.")


class JeuTabulaireSerializer(serializers.Serializer):
    jeu = serializers.SlugField()
    titre = serializers.CharField()
    version = serializers.IntegerField(help_text="Version publiée interrogée (la plus récente).")
    lignes = serializers.IntegerField()
    links = LiensSerializer()


class ColonneSerializer(serializers.Serializer):
    nom = serializers.CharField()
    type = serializers.ChoiceField(
        ["string", "integer", "number", "boolean", "date", "datetime"],
        help_text="Type Table Schema de la colonne.",
    )
    description = serializers.CharField(allow_blank=True)
    operateurs = serializers.ListField(
        child=serializers.CharField(), help_text="Opérateurs de filtre acceptés."
    )


class ProfilSerializer(serializers.Serializer):
    jeu = serializers.SlugField()
    titre = serializers.CharField()
    version = serializers.IntegerField()
    publiee_le = serializers.DateTimeField()
    lignes = serializers.IntegerField()
    schema_table = serializers.BooleanField(
        help_text="Vrai si colonnes et types viennent du Table Schema publié avec la version ; "
        "faux s'ils sont lus dans le fichier publié."
    )
    colonnes = ColonneSerializer(many=True)
    links = LiensSerializer()


class PaginationLiensSerializer(serializers.Serializer):
    profile = serializers.URLField()
    next = serializers.URLField(allow_null=True)
    prev = serializers.URLField(allow_null=True)


class MetaSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Lignes qui répondent aux filtres.")
    version = serializers.IntegerField(help_text="Version publiée interrogée.")


class LignesSerializer(serializers.Serializer):
    data = serializers.ListField(
        child=serializers.DictField(),
        help_text="Les lignes de la page : `__id` (rang dans le fichier publié) puis les colonnes.",
    )
    links = PaginationLiensSerializer()
    meta = MetaSerializer()
