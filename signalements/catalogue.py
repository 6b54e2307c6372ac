"""The reports in the meta-catalogue: an anonymised open dataset, and the full one kept restricted."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.ogc.registry import Collection, Queryable, declare_collection
from observatoire.ogc.tilesets import Aggregation, TileSettings
from observatoire.opendata.sources import (
    Field,
    Source,
    commune_insee,
    commune_nom,
    declare_dataset,
    declare_source,
    describe,
)

from .enums import Status
from .positions import public_point_sql
from .tiles import grid_clusters

PUBLIC_STATUSES = [s for s in Status if s not in (Status.REJETE, Status.DOUBLON)]

# Only category, commune, dates, status, the answers to questions declared public and a location
# rounded to about ten metres: no reporter, no free text, no photo, no address. Rejected reports and
# duplicates stay out.
declare_source(
    Source(
        "signalements-anonymises",
        f"""
        SELECT s.id AS identifiant, cat.code AS categorie_code, cat.nom AS categorie,
               sous.nom AS sous_categorie, co.insee AS commune_insee, co.nom AS commune,
               s.status AS statut, s.created_at::date AS date_signalement,
               s.resolved_at::date AS date_resolution, s.closed_at::date AS date_cloture,
               (SELECT jsonb_object_agg(r.key, r.value)::text
                FROM jsonb_each(s.reponses) r
                JOIN signalements_question q ON q.code = r.key AND q.publique
                     AND q.categorie_id IN (s.categorie_id, s.sous_categorie_id)) AS reponses_publiques,
               {public_point_sql("ST_Transform(s.geom, 4326)")} AS geom
        FROM signalements_signalement s
        JOIN signalements_categorie cat ON cat.id = s.categorie_id
        LEFT JOIN signalements_categorie sous ON sous.id = s.sous_categorie_id
        JOIN territoires_commune co ON co.id = s.commune_id
        WHERE s.status NOT IN ('rejete', 'doublon')
        ORDER BY s.id
        """,  # noqa: S608 - the one interpolation is our own constant SQL
        geometry="point",
    )
)
describe(
    "signalements-anonymises",
    Field("identifiant", "Numéro du signalement sur le portail", required=True, unique=True, minimum=1),
    Field("categorie_code", "Code de la catégorie du signalement", required=True, example="voirie"),
    Field("categorie", "Catégorie du signalement", required=True, example="Voirie"),
    Field("sous_categorie", "Sous-catégorie, quand l'auteur en a choisi une"),
    commune_insee(required=True),
    commune_nom(required=True),
    Field(
        "statut",
        "Statut de traitement : " + ", ".join(f"{s.value} ({s.label.lower()})" for s in PUBLIC_STATUSES),
        enum=tuple(s.value for s in PUBLIC_STATUSES),
        required=True,
    ),
    Field("date_signalement", "Date du signalement", required=True, example="2024-03-18"),
    Field("date_resolution", "Date à laquelle le service a déclaré le problème résolu"),
    Field("date_cloture", "Date de clôture du signalement"),
    Field(
        "reponses_publiques",
        "Réponses aux questions publiques de la catégorie, en JSON {code de la question : réponse} "
        "(les réponses aux autres questions ne sont jamais publiées)",
        example='{"volume": "coffre"}',
    ),
    primary_key=("identifiant",),
    national_schema=None,  # none on schema.data.gouv.fr for reports (checked: no « signalement » schema)
)

declare_dataset(
    "signalements-espace-public",
    titre="Signalements dans l'espace public",
    description=(
        "Dysfonctionnements de l'espace public signalés par les habitants et les agents (voirie, "
        "propreté, éclairage…), avec leur catégorie, leur commune, leurs dates et leur statut de "
        "traitement. Données anonymisées : ni auteur, ni texte libre, ni photo ; position arrondie "
        "à une dizaine de mètres ; signalements non retenus et doublons exclus."
    ),
    theme=Theme.ESPACE_PUBLIC,
    mots_cles=["signalement", "espace public", "voirie", "propreté"],
    producteur="Métropole d'Aix-Marseille-Provence, direction de la relation aux usagers",
    source="Module de signalement du portail",
    frequence=Frequence.DAILY,
    sensibilite=Sensibilite.PUBLIC,
    source_technique="signalements-anonymises",
)

# The full extraction, for authorised roles and partners named as recipients in the GDPR register.
declare_source(
    Source(
        "signalements-complets",
        """
        SELECT s.id AS identifiant, cat.nom AS categorie, sous.nom AS sous_categorie,
               co.insee AS commune_insee,
               co.nom AS commune, s.status AS statut, s.created_at AS date_signalement, s.adresse,
               s.description, s.reporter_email AS courriel_auteur, s.filed_by_agent AS depose_par_un_agent,
               ST_Transform(s.geom, 4326) AS geom
        FROM signalements_signalement s
        JOIN signalements_categorie cat ON cat.id = s.categorie_id
        LEFT JOIN signalements_categorie sous ON sous.id = s.sous_categorie_id
        JOIN territoires_commune co ON co.id = s.commune_id
        ORDER BY s.id
        """,
        geometry="point",
    )
)

declare_dataset(
    "signalements-complets",
    titre="Signalements : données complètes de traitement",
    description=(
        "Signalements avec leur description, leur adresse, l'auteur et l'historique de traitement, "
        "pour les services chargés des interventions."
    ),
    theme=Theme.ESPACE_PUBLIC,
    mots_cles=["signalement", "intervention"],
    producteur="Métropole d'Aix-Marseille-Provence, direction de la relation aux usagers",
    source="Module de signalement du portail",
    frequence=Frequence.CONT,
    sensibilite=Sensibilite.PERSONNEL,
    motif_sensibilite="Contient l'identité et les coordonnées des auteurs et des textes libres.",
    base_legale="Mission d'intérêt public (RGPD art. 6-1-e) : gestion de l'espace public",
    publier=False,
    motif_non_publication="Données personnelles : jamais publiées.",
    source_technique="signalements-complets",
    roles_autorises=["gestionnaire_signalements", "agd"],
)

# The same rows, fields and rounding as the open dataset: nothing a GIS client reads here is finer than
# the published file. The bbox is tested on the stored point (indexed), the point served is the rounded one.
declare_collection(
    Collection(
        id="signalements",
        title="Signalements dans l'espace public (anonymisés)",
        description="Signalements des habitants et des agents, avec leur catégorie, leur commune, leurs "
        "dates et leur statut ; position arrondie à une dizaine de mètres, ni auteur, ni texte, ni photo.",
        dataset="signalements-espace-public",
        from_sql="signalements_signalement s JOIN signalements_categorie cat ON cat.id = s.categorie_id "
        "LEFT JOIN signalements_categorie sous ON sous.id = s.sous_categorie_id "
        "JOIN territoires_commune co ON co.id = s.commune_id",
        fid="s.id",
        properties=(
            ("identifiant", "s.id"),
            ("categorie_code", "cat.code"),
            ("categorie", "cat.nom"),
            ("sous_categorie", "sous.nom"),
            ("commune_insee", "co.insee"),
            ("commune", "co.nom"),
            ("statut", "s.status"),
            ("date_signalement", "s.created_at::date"),
            ("date_resolution", "s.resolved_at::date"),
            ("date_cloture", "s.closed_at::date"),
        ),
        geometry="s.geom",
        output_geometry=public_point_sql("ST_Transform(s.geom, 4326)"),
        geometry_type="Point",
        where="s.status NOT IN ('rejete', 'doublon')",
        datetime="s.created_at",
        queryables=(
            Queryable("categorie_code", "cat.code", title="Code de la catégorie"),
            Queryable(
                "statut", "s.status", title="Statut", enum=tuple(status.value for status in PUBLIC_STATUSES)
            ),
            Queryable("commune_insee", "co.insee", title="Code INSEE de la commune"),
        ),
        keywords=("signalements", "espace public", "voirie", "propreté"),
        # Clusters read from the map grid up to zoom 12, counted live at 13–15, the rounded points
        # themselves from street zoom (16).
        tiles=TileSettings(
            min_zoom=8,
            max_zoom=20,
            detail_zoom=16,
            aggregation=Aggregation(presummed=grid_clusters),
            properties=(
                "identifiant",
                "categorie_code",
                "categorie",
                "commune_insee",
                "statut",
                "date_signalement",
            ),
        ),
    )
)
