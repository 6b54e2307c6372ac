"""Data dictionaries of the habitat, foncier and mobilité sources (see ``sources.describe``).

They belong beside each source in its app's ``catalogue`` module, like the territoires, indicateurs
and signalements ones; they sit here while those apps' modules are being reworked elsewhere, and move
there unchanged (``describe`` takes the source key, wherever it is called from).
"""

from .sources import (
    INSEE_PATTERN,
    Field,
    NationalSchema,
    commune_insee,
    commune_nom,
    describe,
)

HECTARES = "hectare"
YEAR = {"minimum": 1900, "maximum": 2100}

describe(
    "sitadel-communes",
    commune_insee(required=True),
    commune_nom(required=True),
    Field(
        "annee", "Année de l'autorisation ou de la mise en chantier", required=True, example="2023", **YEAR
    ),
    Field(
        "type_logement",
        "Type de logement tel que la base Sitadel le nomme (individuel pur, individuel groupé, "
        "collectif, en résidence, ou tous logements)",
        required=True,
        example="collectif",
    ),
    Field(
        "logements_autorises",
        "Logements autorisés (permis de construire délivrés)",
        unit="logement",
        required=True,
        minimum=0,
    ),
    Field(
        "logements_commences",
        "Logements commencés (déclarations d'ouverture de chantier) ; vide tant que le SDES ne les connaît "
        "pas (dernière année du fichier)",
        unit="logement",
        minimum=0,
    ),
    Field("surface_autorisee", "Surface de plancher autorisée", unit="m²", required=True, minimum=0),
    Field("surface_commencee", "Surface de plancher commencée ; vide tant qu'inconnue", unit="m²", minimum=0),
    primary_key=("commune_insee", "annee", "type_logement"),
)

PERCENT = "%"
describe(
    "rpls-communes",
    commune_insee(required=True),
    commune_nom(required=True),
    Field(
        "millesime",
        "Millésime du répertoire : état du parc au 1er janvier de cette année",
        required=True,
        example="2023",
        **YEAR,
    ),
    Field("logements_sociaux", "Logements sociaux des bailleurs", unit="logement", required=True, minimum=0),
    Field("loues", "Logements loués", unit="logement", minimum=0),
    Field("vacants", "Logements vacants (proposés à la location mais non loués)", unit="logement", minimum=0),
    Field(
        "vides", "Logements vides (hors location : travaux, vente, démolition…)", unit="logement", minimum=0
    ),
    Field(
        "en_qpv",
        "Logements sociaux situés en quartier prioritaire de la politique de la ville",
        unit="logement",
        minimum=0,
    ),
    Field("taux_vacance", "Taux de vacance", unit=PERCENT, minimum=0, maximum=100),
    Field(
        "taux_vacance_3_mois", "Taux de vacance de plus de trois mois", unit=PERCENT, minimum=0, maximum=100
    ),
    Field(
        "taux_mobilite",
        "Taux de mobilité (emménagements dans l'année rapportés au parc loué)",
        unit=PERCENT,
        minimum=0,
        maximum=100,
    ),
    Field("loyer_moyen_m2", "Loyer moyen hors charges par m² de surface habitable", unit="€/m²", minimum=0),
    primary_key=("commune_insee", "millesime"),
)

# CNIG standard for PLU (2014 and 2017), ZONE_URBA class: its attribute names and codes are kept.
describe(
    "zones-plui",
    Field(
        "idurba",
        "Identifiant du document d'urbanisme (IDURBA du standard CNIG) : code INSEE ou SIREN, type de "
        "document (standard 2017) et date d'approbation AAAAMMJJ",
        pattern=r"^(\d{5}|2[AB]\d{3}|\d{9})_([A-Za-z]+_)?\d{8}(_\w+)?$",
        required=True,
        example="200054807_PLUi_20191219",
    ),
    Field("libelle", "Nom court de la zone (LIBELLE)", required=True, example="1AUH"),
    Field("libelong", "Nom long de la zone (LIBELONG)"),
    Field(
        "typezone",
        "Type de zone (TYPEZONE) : U urbaine, AUc à urbaniser ouverte, AUs à urbaniser "
        "fermée, A agricole, N naturelle et forestière",
        enum=("U", "AUc", "AUs", "A", "N"),
        required=True,
    ),
    Field(
        "destdomi",
        "Destination dominante de la zone (DESTDOMI, code à deux chiffres du standard CNIG : "
        "01 habitat, 02 activité, 03 mixte habitat et activité, 04 loisirs et tourisme, 05 équipement, "
        "07 activité agricole, 08 espace naturel, 09 espace remarquable, 10 secteur de carrière, "
        "99 autre, 00 sans objet)",
        pattern=r"^\d{2}$",
    ),
    commune_insee(required=True),
    Field(
        "surface_m2",
        "Surface de la zone dans la commune, arrondie au m²",
        unit="m²",
        required=True,
        minimum=0,
    ),
    Field("datappro", "Date d'approbation du document (DATAPPRO)", example="2019-12-19"),
    primary_key=("idurba", "libelle", "commune_insee"),
    national_schema=NationalSchema(
        "Plan local d'urbanisme (PLU), standard CNIG",
        "https://schema.data.gouv.fr/cnigfr/schema-plan-local-urbanisme/",
        False,
        "Suivi en partie : les attributs publiés reprennent les noms et les codes de la classe ZONE_URBA "
        "du standard CNIG (IDURBA, LIBELLE, LIBELONG, TYPEZONE, DESTDOMI, DATAPPRO), mais le fichier "
        "n'est pas une livraison conforme au standard (pas de NOMFIC, URLFIC ni DATVALID ; zones découpées "
        "par commune ; surface ajoutée). Les documents conformes sont sur le Géoportail de l'urbanisme.",
    ),
)

describe(
    "consommation-espaces",
    commune_insee(required=True),
    commune_nom(required=True),
    Field(
        "annee",
        "Année de la consommation (du 1er janvier de cette année au 1er janvier suivant)",
        required=True,
        example="2021",
        **YEAR,
    ),
    Field(
        "total_ha",
        "Espaces naturels, agricoles et forestiers consommés, toutes destinations",
        unit=HECTARES,
        required=True,
        minimum=0,
    ),
    Field("activite_ha", "dont pour l'activité économique", unit=HECTARES, minimum=0),
    Field("habitat_ha", "dont pour l'habitat", unit=HECTARES, minimum=0),
    Field("mixte_ha", "dont pour une destination mixte", unit=HECTARES, minimum=0),
    Field("routes_ha", "dont pour les routes", unit=HECTARES, minimum=0),
    Field("ferroviaire_ha", "dont pour le ferroviaire", unit=HECTARES, minimum=0),
    Field("inconnu_ha", "dont destination inconnue", unit=HECTARES, minimum=0),
    primary_key=("commune_insee", "annee"),
)

describe(
    "arrets-transport",
    Field("stop_id", "Identifiant de l'arrêt dans le flux GTFS de son réseau (stop_id)", required=True),
    Field("nom", "Nom de l'arrêt (stop_name)", required=True),
    Field("reseau", "Réseau de transport", required=True),
    commune_insee(description="Code officiel géographique (INSEE) de la commune où se trouve l'arrêt"),
    Field(
        "passages_jour_type",
        "Passages à l'arrêt un jour de semaine type, toutes lignes",
        unit="passage",
        required=True,
        minimum=0,
    ),
    Field("lignes", "Lignes desservant l'arrêt (noms courts GTFS séparés par des virgules)"),
    primary_key=("reseau", "stop_id"),
    national_schema=NationalSchema(
        "GTFS (transport.data.gouv.fr)",
        "https://transport.data.gouv.fr/",
        False,
        "Aucun schéma de schema.data.gouv.fr pour les arrêts : le format national des horaires est le GTFS "
        "ou le NeTEx, publiés sur transport.data.gouv.fr. Ce jeu en est une synthèse (un arrêt par ligne, "
        "passages d'un jour type) et n'en suit pas le format.",
    ),
)

describe(
    "flux-domicile-travail",
    commune_insee(
        "commune_residence", "Code officiel géographique (INSEE) de la commune de résidence", required=True
    ),
    commune_nom("nom_residence", "Nom de la commune de résidence", required=True),
    Field(
        "commune_travail",
        "Code du lieu de travail (DCLT du recensement : commune, ou pays pour un emploi à l'étranger)",
        pattern=INSEE_PATTERN,
        required=True,
        example="13055",
    ),
    Field("nom_travail", "Nom du lieu de travail", required=True),
    Field("millesime", "Millésime du recensement", required=True, example="2021", **YEAR),
    Field(
        "actifs",
        "Actifs occupés de 15 ans ou plus résidant dans la première commune et travaillant dans "
        "la seconde (estimation pondérée du recensement, arrondie au dixième)",
        unit="personne",
        required=True,
        minimum=0,
    ),
    primary_key=("commune_residence", "commune_travail", "millesime"),
)
