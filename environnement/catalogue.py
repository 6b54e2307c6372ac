"""The environnement data in the catalogue: all public, each under its producer's licence.

- Géorisques (GASPAR: CatNat decrees, PPR) and the INPN layers are published by the State under the
  Licence Ouverte 2.0 (Etalab); our tables derived from them keep it.
- The ATMO index comes from AtmoSud / Atmo France under the ODbL: « Atmo France et les
  Associations agréées de surveillance de la qualité de l'air » (short « Atmo France / AASQA »);
  the ODbL's share-alike clause makes our republished table ODbL too, with that attribution.
"""

from gouvernance.enums import Frequence, Licence, Sensibilite, Theme
from observatoire.ogc.registry import Collection, Queryable, declare_collection
from observatoire.opendata.sources import (
    Field,
    Source,
    commune_insee,
    commune_nom,
    declare_dataset,
    declare_source,
    describe,
)

from .enums import FamillePpr, TypeEspace

PRODUCTEUR = "Métropole d'Aix-Marseille-Provence, observatoire de l'environnement"
GASPAR = "Géorisques (ministère de la Transition écologique), base GASPAR"
DATE = {"example": "2023-06-20"}

declare_source(
    Source(
        "arretes-catnat",
        """
        SELECT co.insee AS commune_insee, co.nom AS commune, a.cod_nat_catnat, a.num_risque_jo,
               a.lib_risque_jo, a.dat_deb, a.dat_fin, a.dat_pub_arrete, a.dat_pub_jo
        FROM environnement_arretecatnat a JOIN territoires_commune co ON co.id = a.commune_id
        ORDER BY co.insee, a.dat_pub_jo, a.cod_nat_catnat, a.num_risque_jo
        """,
    )
)
declare_dataset(
    "arretes-catnat-communes",
    titre="Arrêtés de catastrophe naturelle par commune",
    description="Arrêtés interministériels portant reconnaissance de l'état de catastrophe naturelle "
    "(CatNat) pour les communes de la métropole, une ligne par arrêté et par péril reconnu.",
    theme=Theme.ENVIRONNEMENT,
    mots_cles=["CatNat", "catastrophe naturelle", "risques naturels", "GASPAR"],
    producteur=PRODUCTEUR,
    source=GASPAR,
    frequence=Frequence.MONTHLY,
    sensibilite=Sensibilite.PUBLIC,
    licence=Licence.LO2,
    source_technique="arretes-catnat",
)
describe(
    "arretes-catnat",
    commune_insee(required=True),
    commune_nom(required=True),
    Field(
        "cod_nat_catnat", "Code national de l'arrêté CatNat (GASPAR)", required=True, example="INTE2315432A"
    ),
    Field("num_risque_jo", "Code du péril reconnu", required=True),
    Field("lib_risque_jo", "Péril reconnu", required=True, example="Inondations et/ou Coulées de Boue"),
    Field("dat_deb", "Début de l'événement", **DATE),
    Field("dat_fin", "Fin de l'événement", **DATE),
    Field("dat_pub_arrete", "Date de l'arrêté", **DATE),
    Field("dat_pub_jo", "Date de publication au Journal officiel", **DATE),
    primary_key=("commune_insee", "cod_nat_catnat", "num_risque_jo"),
)

declare_source(
    Source(
        "plans-prevention-risques",
        """
        SELECT co.insee AS commune_insee, co.nom AS commune, p.cod_nat_ppr, p.lib_ppr, p.famille,
               p.cod_risque, p.lib_risque, p.dat_prescription, p.dat_approbation, p.dat_abrogation, p.etat
        FROM environnement_planprevention p JOIN territoires_commune co ON co.id = p.commune_id
        ORDER BY co.insee, p.cod_nat_ppr, p.cod_risque
        """,
    )
)
declare_dataset(
    "plans-prevention-risques-communes",
    titre="Plans de prévention des risques par commune",
    description="Plans de prévention des risques naturels, technologiques et miniers (PPRN, PPRT, PPRM) qui "
    "couvrent les communes de la métropole, par aléa, avec leurs dates de prescription, d'approbation et "
    "d'abrogation.",
    theme=Theme.ENVIRONNEMENT,
    mots_cles=["PPR", "PPRN", "prévention des risques", "GASPAR"],
    producteur=PRODUCTEUR,
    source=GASPAR,
    frequence=Frequence.MONTHLY,
    sensibilite=Sensibilite.PUBLIC,
    licence=Licence.LO2,
    source_technique="plans-prevention-risques",
)
describe(
    "plans-prevention-risques",
    commune_insee(required=True),
    commune_nom(required=True),
    Field("cod_nat_ppr", "Code national de la procédure (GASPAR)", required=True),
    Field("lib_ppr", "Libellé du plan"),
    Field(
        "famille",
        "Famille de plan : PPRN naturels, PPRT technologiques, PPRM miniers",
        enum=tuple(FamillePpr.values),
        required=True,
    ),
    Field("cod_risque", "Code de l'aléa", required=True),
    Field("lib_risque", "Aléa", example="Inondation"),
    Field("dat_prescription", "Date de prescription", **DATE),
    Field("dat_approbation", "Date d'approbation", **DATE),
    Field("dat_abrogation", "Date d'abrogation", **DATE),
    Field("etat", "État de la procédure"),
    primary_key=("commune_insee", "cod_nat_ppr", "cod_risque"),
)

declare_source(
    Source(
        "indice-atmo",
        """
        SELECT co.insee AS commune_insee, co.nom AS commune, i.date_ech, i.code_qual, i.lib_qual,
               i.code_no2, i.code_o3, i.code_pm10, i.code_pm25, i.code_so2
        FROM environnement_indiceatmo i JOIN territoires_commune co ON co.id = i.commune_id
        ORDER BY i.date_ech, co.insee
        """,
    )
)
declare_dataset(
    "indice-atmo-communes",
    titre="Indice ATMO journalier de la qualité de l'air par commune",
    description="Indice ATMO (méthode 2021, de 1 « bon » à 6 « extrêmement mauvais ») de chaque jour pour "
    "chaque commune de la métropole, avec les sous-indices des cinq polluants. Source : Atmo France et les "
    "Associations agréées de surveillance de la qualité de l'air (AtmoSud).",
    theme=Theme.ENVIRONNEMENT,
    mots_cles=["qualité de l'air", "indice ATMO", "pollution", "AtmoSud"],
    producteur=PRODUCTEUR,
    source="Atmo France / AASQA (AtmoSud), indice ATMO par commune, licence ODbL",
    frequence=Frequence.DAILY,
    sensibilite=Sensibilite.PUBLIC,
    licence=Licence.ODBL,
    source_technique="indice-atmo",
)
CLASSE = {"minimum": 0, "maximum": 7}
describe(
    "indice-atmo",
    commune_insee(required=True),
    commune_nom(required=True),
    Field("date_ech", "Jour de l'indice (date d'échéance)", required=True, **DATE),
    Field(
        "code_qual",
        "Indice ATMO : 1 bon, 2 moyen, 3 dégradé, 4 mauvais, 5 très mauvais, "
        "6 extrêmement mauvais, 0 absent, 7 événement",
        required=True,
        **CLASSE,
    ),
    Field("lib_qual", "Qualificatif de l'indice", example="Moyen"),
    Field("code_no2", "Sous-indice du dioxyde d'azote (NO2)", **CLASSE),
    Field("code_o3", "Sous-indice de l'ozone (O3)", **CLASSE),
    Field("code_pm10", "Sous-indice des particules PM10", **CLASSE),
    Field("code_pm25", "Sous-indice des particules fines PM2,5", **CLASSE),
    Field("code_so2", "Sous-indice du dioxyde de soufre (SO2)", **CLASSE),
    primary_key=("commune_insee", "date_ech"),
)

INPN = "INPN (PatriNat, OFB-CNRS-MNHN) : ZNIEFF, Natura 2000, parcs et réserves"
declare_source(
    Source(
        "couverture-espaces-naturels",
        """
        SELECT co.insee AS commune_insee, co.nom AS commune, NULLIF(c.type, '') AS type_espace, c.millesime,
               round(c.surface_ha::numeric, 2) AS surface_ha, round(c.part::numeric, 2) AS part
        FROM environnement_couverturecommune c JOIN territoires_commune co ON co.id = c.commune_id
        ORDER BY co.insee, c.type, c.millesime
        """,
    )
)
declare_dataset(
    "couverture-espaces-naturels",
    titre="Couverture des communes par les espaces naturels protégés ou inventoriés",
    description="Surface et part de chaque commune couvertes par chaque type d'espace naturel (ZNIEFF, "
    "Natura 2000, parcs, réserves) et par l'ensemble des espaces, les zones superposées comptées une fois.",
    theme=Theme.ENVIRONNEMENT,
    mots_cles=["ZNIEFF", "Natura 2000", "espaces protégés", "biodiversité"],
    producteur=PRODUCTEUR,
    source=INPN,
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    licence=Licence.LO2,
    source_technique="couverture-espaces-naturels",
)
describe(
    "couverture-espaces-naturels",
    commune_insee(required=True),
    commune_nom(required=True),
    Field("type_espace", "Type d'espace (vide : tous les types fusionnés)", enum=tuple(TypeEspace.values)),
    Field("millesime", "Millésime de la couche", required=True, minimum=1900, maximum=2100, example="2025"),
    Field("surface_ha", "Surface de la commune couverte", unit="hectare", required=True, minimum=0),
    Field(
        "part", "Part de la surface de la commune couverte", unit="%", required=True, minimum=0, maximum=100
    ),
    primary_key=("commune_insee", "type_espace", "millesime"),
)

declare_source(
    Source(
        "espaces-naturels",
        """
        SELECT e.type, e.identifiant, e.nom, e.millesime, ST_Transform(e.geom, 4326) AS geom
        FROM environnement_espacenaturel e ORDER BY e.type, e.identifiant
        """,
        geometry="polygon",
    )
)
declare_dataset(
    "espaces-naturels",
    titre="Espaces naturels protégés et inventoriés",
    description="Contours des ZNIEFF de type I et II, des sites Natura 2000 (SIC et ZPS), des parcs et des "
    "réserves qui touchent la métropole, tels que l'INPN les publie.",
    theme=Theme.ENVIRONNEMENT,
    mots_cles=["ZNIEFF", "Natura 2000", "parc naturel régional", "espaces protégés"],
    producteur=PRODUCTEUR,
    source=INPN,
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    licence=Licence.LO2,
    source_technique="espaces-naturels",
)
describe(
    "espaces-naturels",
    Field("type", "Type d'espace", enum=tuple(TypeEspace.values), required=True, example="znieff1"),
    Field("identifiant", "Identifiant national de l'espace (INPN)", required=True, example="930012345"),
    Field("nom", "Nom de l'espace", required=True),
    Field("millesime", "Millésime de la couche", required=True, minimum=1900, maximum=2100, example="2025"),
    primary_key=("type", "identifiant"),
)
declare_collection(
    Collection(
        id="espaces-naturels",
        title="Espaces naturels protégés et inventoriés",
        description="ZNIEFF, sites Natura 2000, parcs et réserves qui touchent la métropole (INPN).",
        dataset="espaces-naturels",
        from_sql="environnement_espacenaturel e",
        fid="e.type || '-' || e.identifiant",
        properties=(
            ("type", "e.type"),
            ("identifiant", "e.identifiant"),
            ("nom", "e.nom"),
            ("millesime", "e.millesime"),
        ),
        geometry="e.geom",
        geometry_type="MultiPolygon",
        queryables=(
            Queryable("type", "e.type", title="Type d'espace", enum=tuple(TypeEspace.values)),
            Queryable("identifiant", "e.identifiant", title="Identifiant national"),
            Queryable("nom", "e.nom", title="Nom de l'espace"),
        ),
        keywords=("ZNIEFF", "Natura 2000", "espaces protégés"),
    )
)
