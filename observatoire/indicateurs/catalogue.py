"""The public indicators' values as one open dataset."""

from gouvernance.enums import Frequence, Sensibilite, Theme
from observatoire.observatoires.enums import Visibilite
from observatoire.ogc.registry import Collection, Queryable, declare_collection_provider
from observatoire.opendata.sources import Field, Source, declare_dataset, declare_source, describe

declare_source(
    Source(
        "indicateurs-publics",
        """
        SELECT i.code AS indicateur, i.libelle, i.unite,
               CASE WHEN v.commune_id IS NOT NULL THEN 'commune'
                    WHEN v.epci_id IS NOT NULL THEN 'epci' ELSE 'zone' END AS niveau,
               COALESCE(c.insee, e.siren, z.code) AS territoire,
               COALESCE(c.nom, e.nom, z.nom) AS nom,
               v.millesime, v.valeur
        FROM indicateurs_valeur v
        JOIN indicateurs_indicateur i ON i.id = v.indicateur_id
        LEFT JOIN territoires_commune c ON c.id = v.commune_id
        LEFT JOIN territoires_epci e ON e.id = v.epci_id
        LEFT JOIN territoires_zone z ON z.id = v.zone_id
        WHERE i.visibilite = 'public'
        ORDER BY i.code, v.millesime, niveau, territoire
        """,
    )
)
describe(
    "indicateurs-publics",
    Field(
        "indicateur",
        "Code de l'indicateur (sa définition et sa méthode sont publiées sur le portail)",
        required=True,
    ),
    Field("libelle", "Libellé de l'indicateur", required=True),
    Field("unite", "Unité dans laquelle la valeur est exprimée", required=True, example="%"),
    Field(
        "niveau",
        "Niveau géographique : commune, epci (la métropole) ou zone (quartier prioritaire…)",
        enum=("commune", "epci", "zone"),
        required=True,
    ),
    Field(
        "territoire",
        "Code du territoire : code INSEE de la commune, SIREN de l'EPCI ou code de la zone",
        required=True,
        example="13001",
    ),
    Field("nom", "Nom du territoire", required=True),
    Field("millesime", "Millésime (année) de la valeur", required=True, minimum=1900, maximum=2100),
    Field(
        "valeur", "Valeur de l'indicateur, dans l'unité de la colonne « unite » (vide si secret ou absente)"
    ),
    primary_key=("indicateur", "niveau", "territoire", "millesime"),
)

declare_dataset(
    "indicateurs-observatoires",
    titre="Indicateurs des observatoires par commune",
    description=(
        "Valeurs des indicateurs publics des observatoires de la métropole (habitat, foncier, "
        "mobilité) par commune, pour la métropole et par quartier prioritaire, pour chaque millésime. "
        "La définition, la méthode et la source de chaque indicateur sont publiées sur le portail."
    ),
    theme=Theme.HABITAT,
    mots_cles=["indicateurs", "logement", "foncier", "mobilité", "observatoire"],
    producteur="Métropole d'Aix-Marseille-Provence, observatoires territoriaux",
    source="Fichiers officiels importés (INSEE, SDES, DGFiP, Cerema…)",
    frequence=Frequence.ANNUAL,
    sensibilite=Sensibilite.PUBLIC,
    source_technique="indicateurs-publics",
)


@declare_collection_provider
def indicator_collections():
    """One collection per public indicator: the communes, each carrying its value for every millésime
    (``valeur_2021``…) and the latest one (``valeur``), so a GIS maps any year without a join."""
    from .models import Indicateur, Niveau, Valeur

    indicators = Indicateur.objects.filter(visibilite=Visibilite.PUBLIC, niveaux__contains=[Niveau.COMMUNE])
    years = {}
    for code, millesime in (
        Valeur.objects.filter(indicateur__in=indicators, commune__isnull=False)
        .values_list("indicateur__code", "millesime")
        .distinct()
        .order_by("millesime")
    ):
        years.setdefault(code, []).append(millesime)
    for indicator in indicators.order_by("code"):
        yield _indicator_collection(indicator, years.get(indicator.code, []))


def _indicator_collection(indicator, years):
    def value(year):
        # Integers only (a primary key, a year): nothing from the data is written into the SQL as text.
        return (
            "(SELECT v.valeur FROM indicateurs_valeur v WHERE v.commune_id = c.id "  # noqa: S608
            f"AND v.indicateur_id = {int(indicator.pk)} AND v.millesime = {int(year)})"
        )

    by_year = tuple((f"valeur_{year}", value(year)) for year in years)
    latest = (("millesime", str(int(years[-1]))), ("valeur", value(years[-1]))) if years else ()
    return Collection(
        id=f"indicateur-{indicator.code}",
        title=f"{indicator.libelle} ({indicator.unite})" if indicator.unite else indicator.libelle,
        description=indicator.definition,
        dataset="indicateurs-observatoires",
        from_sql="territoires_commune c",
        fid="c.insee",
        properties=(("insee", "c.insee"), ("nom", "c.nom"), *latest, *by_year),
        geometry="c.geom",
        geometry_type="MultiPolygon",
        queryables=(Queryable("insee", "c.insee", title="Code INSEE de la commune"),),
        keywords=("indicateur", indicator.code),
        extra={"indicateur": indicator.code, "unite": indicator.unite, "millesimes": tuple(years)},
    )
