"""Emissions per commune, sector and pollutant from the regional inventory (AtmoSud's CIGALE).

AtmoSud's inventory (« Inventaire régional des émissions », CIGALE: cigale.atmosud.org) is extracted per
commune × year × sector × pollutant. Two layouts are read:

- long, as CIGALE's extraction writes it with « détail par commune »: ``Année; Entité administrative;
  Id Entité; Activité; Energie; Variable; Valeur; Unite`` — ``Entité administrative`` is
  « Marseille (13) », ``Id Entité`` the INSEE code as a number (4112 for 04112), ``Activité`` the
  PCAET sector (older releases: the SECTEN sector), ``Energie`` « Toutes énergies » or an energy (rows
  of one sector then add up), ``Variable`` the pollutant's short name (``nox``, ``pm10``, ``pm2.5``,
  ``co2``, ``ges``…), ``Unite`` its unit, « Secret Stat » with an empty value under statistical
  secrecy. Plain names are accepted too (``annee``, ``code_insee``/``insee``/``id_comm``, ``secteur``,
  ``polluant``, ``valeur``, ``unite``).
- wide, one column per pollutant (``nox``, ``pm10``, ``pm2.5``/``pm25``, ``ges``/``prg``…, the unit
  in brackets ``NOx (t)`` or in a ``unite`` column), the other columns as above.

The file CIGALE's page downloads (« AtmoSud - Export CIGALE du AAAA-MM-JJ HHMMSS.csv »: UTF-8 with BOM,
``,``, every cell quoted) opens with « AtmoSud inventaire vX.Y - Export CIGALE du … », a blank line and
the conditions of use: the header is looked for below them and the release read from that first line.

Values are stored in tonnes (``t``, or ``t éq. CO2`` for greenhouse gases): g, kg, t and kt convert;
an unknown unit is an error. Each release recomputes every past year: ``version`` is the release
(``--version``, else a ``version`` column, else the download's first line, else the file name:
``inventaire_v2023``, ``cigale_v11.2``…); importing a release keeps the others, and the indicators
read the latest.
Marseille is published whole (13055) by CIGALE; arrondissement codes add up to their commune when the
file has no 13055 row.
"""

import contextlib
import re
from datetime import date
from pathlib import PurePosixPath
from typing import NamedTuple

from observatoire.core.textsearch import fold_accents
from observatoire.imports.base import (
    ErrorList,
    Importer,
    ImportRejected,
    Summary,
    TooManyErrors,
    no_progress,
    register,
)
from observatoire.imports.cells import ByCommune, insee_code, territory_codes, total
from observatoire.imports.files import open_text, read_table, zip_members
from observatoire.imports.recognise import missing_columns
from observatoire.imports.writing import upsert

from .models import EmissionCommune
from .tasks import schedule_recompute

COMMAND = "import_emissions_air"
CODE = ("id entite", "code insee", "code_insee", "insee", "id_comm", "code_commune", "insee_com", "code")
YEAR = ("annee", "an", "year")
SECTOR = ("activite", "secteur", "nom_secteur_pcaet", "nom_secten1", "lib_secteur", "secteur pcaet")
POLLUTANT = ("variable", "polluant", "nom_abrege_polluant", "nom_polluant")
VALUE = ("valeur", "val", "emission", "emissions")
UNIT = ("unite", "lib_unite", "unit")
VERSION = ("version", "version inventaire", "version de l'inventaire")
NAME = ("entite administrative", "nom_comm", "commune")
# Pollutants as CIGALE and Atmo Data name them → the label stored.
POLLUTANTS = {
    "nox": "NOx", "pm10": "PM10", "pm2.5": "PM2.5", "pm25": "PM2.5", "pm2,5": "PM2.5", "so2": "SO2",
    "nh3": "NH3", "covnm": "COVNM", "co": "CO", "co2": "CO2", "ch4": "CH4", "n2o": "N2O",
    "ges": "GES", "prg": "GES", "prg100": "GES", "prg100.3ges": "GES", "co2e": "GES",
}  # fmt: skip
GREENHOUSE = {"CO2", "CH4", "N2O", "GES"}
# Units as written → (factor to tonnes, greenhouse-gas equivalent).
UNITS = {"g": 1e-6, "kg": 1e-3, "t": 1.0, "tonnes": 1.0, "tonne": 1.0, "kt": 1e3}
SUFFIX = re.compile(r"^v\d{1,4}(?:\.\d+)?$")  # a release as a kind's suffix: v2024, v11.2
# CIGALE's download starts with a title naming the release, then its conditions of use (about ten
# lines), then the header: ``read_table`` looks that far for a line naming a code, year or sector
# column (any of their accepted names).
HEADER_NAMES = (*CODE, *YEAR, *SECTOR)
PREAMBLE_LINES = 30
PREAMBLE_VERSION = re.compile(r"inventaire\s+v(\d+(?:\.\d+)?)", re.IGNORECASE)
SECRET_UNIT = "secret stat"  # noqa: S105 - CIGALE's unit under statistical secrecy
VERSION_IN_NAME = (
    re.compile(r"inventaire[ _-]*(v?\d{4}(?:[._]\d+)?)", re.IGNORECASE),
    re.compile(r"(?:^|[^a-z0-9])(v\d{1,4}(?:[._]\d+)?)(?:[^0-9]|$)", re.IGNORECASE),
)


def normalise(name):
    """A header name without accents, case or brackets: « Entité administrative » → entite administrative."""
    text = fold_accents(str(name))
    return text.strip().strip('"').strip().lower()


def _find(header, names):
    return next((column for column in header if column in names), None)


def unit_factor(raw):
    """(factor to tonnes, stored unit) of a unit as written (« kg », « t eq. CO2 », « kteqCO2 »…)."""
    text = normalise(raw).replace(" ", "").replace("_", "").replace("-", "")
    text = text.replace("teqco2", "t").replace("eq.co2", "").replace("eqco2", "").replace("co2e", "")
    greenhouse = text != normalise(raw).replace(" ", "").replace("_", "").replace("-", "")
    factor = UNITS.get(text)
    if factor is None:
        raise ValueError(raw)
    return factor, greenhouse


def pollutant_label(raw):
    key = normalise(raw).replace(" ", "")
    return POLLUTANTS.get(key, str(raw).strip())


def version_from_name(name):
    stem = PurePosixPath(str(name)).name
    for pattern in VERSION_IN_NAME:
        if match := pattern.search(stem):
            found = match[1].replace("_", ".").lower()
            return found if found.startswith("v") else f"v{found}"
    return None


class Layout:
    """Which columns hold what: long (a pollutant column) or wide (one column per pollutant)."""

    def __init__(self, header):
        self.header = header
        self.code = _find(header, CODE)
        self.year = _find(header, YEAR)
        self.sector = _find(header, SECTOR)
        self.pollutant = _find(header, POLLUTANT)
        self.value = _find(header, VALUE)
        self.unit = _find(header, UNIT)
        self.version = _find(header, VERSION)
        self.wide = {}  # column → (pollutant, unit in brackets or None)
        if not self.pollutant:
            for column in header:
                match = re.match(r"^([^()]+?)\s*(?:\(([^)]*)\))?$", column)
                if match and normalise(match[1]).replace(" ", "") in POLLUTANTS:
                    self.wide[column] = (pollutant_label(match[1]), match[2])
        missing = [
            label
            for label, found in (
                ("Id Entité (code INSEE de la commune)", self.code),
                ("Année", self.year),
                ("Activité (secteur)", self.sector),
                ("Variable (polluant) et Valeur, ou une colonne par polluant", self._pollutants_found()),
            )
            if not found
        ]
        if missing:
            hint = (
                "Le fichier attendu est une extraction de l'inventaire régional par commune (CIGALE "
                "d'AtmoSud, « détail par commune » coché) : Année, Entité administrative, Id Entité, "
                "Activité, Variable, Valeur, Unite."
            )
            if not self.code and _find(header, NAME):
                hint += (
                    " Ce fichier nomme les communes sans leur code INSEE : refaites l'extraction avec le "
                    "détail par commune, qui ajoute la colonne « Id Entité »."
                )
            raise missing_columns(header, missing, COMMAND, hint)
        if not self.wide and not self.unit:
            raise ImportRejected(
                "Unité des émissions absente (colonne « Unite », ou unité entre parenthèses dans le nom des "
                "colonnes : « NOx (t) ») : rien n'a été importé."
            )

    def _pollutants_found(self):
        return (self.pollutant and self.value) or self.wide

    def cells(self, raw):
        """(pollutant, value cell, unit cell, unit column) of each measure of a row."""
        if self.pollutant:
            yield pollutant_label(raw[self.pollutant]), raw[self.value], raw[self.unit], self.value
            return
        for column, (pollutant, unit) in self.wide.items():
            yield pollutant, raw[column], unit if unit else raw[self.unit], column


def read(stream, progress, version, source_name):
    table = read_table(stream, header_has=HEADER_NAMES, above=PREAMBLE_LINES, normalise=normalise)
    layout = Layout(table.header)
    codes, own = territory_codes()
    errors, summary = ErrorList(), Summary()
    by_commune, versions = ByCommune(_sum, gather=True), set()
    with contextlib.suppress(TooManyErrors):
        for line, raw in table.records():
            summary.read += 1
            if summary.read % 5000 == 0:
                progress(summary.read, 0)
            if layout.version and raw[layout.version].strip():
                versions.add(raw[layout.version].strip())
            code = insee_code(raw[layout.code])
            if code is None:
                errors.add(line, layout.code, f"code commune INSEE invalide « {raw[layout.code]} ».")
                continue
            try:
                annee = int(raw[layout.year].strip())
            except ValueError:
                errors.add(line, layout.year, f"année invalide « {raw[layout.year]} ».")
                continue
            secteur = " ".join(raw[layout.sector].split())
            if not secteur:
                errors.add(line, layout.sector, "secteur vide.")
                continue
            if code not in codes:
                summary.note_outside(code)
                continue
            for polluant, value, unit, column in layout.cells(raw):
                measure = _measure(value, unit, polluant)
                if isinstance(measure, BadCell):
                    errors.add(
                        line, layout.unit if measure.of_unit and layout.unit else column, measure.reason
                    )
                    continue
                key = (codes[code], annee, secteur[:150], polluant[:40])
                by_commune.add(key, measure, arrondissement=code not in own)
    errors.raise_if_any()
    version = _version(version, versions, version_in_preamble(table.preamble), source_name)
    summary.details["arrondissements_ignores"] = by_commune.ignored_parts
    return dict(by_commune.items()), summary, version


class BadCell(NamedTuple):
    reason: str
    of_unit: bool = False


def _measure(value, unit, polluant):
    """(tonnes or None, stored unit), or a ``BadCell`` saying why it cannot be read."""
    unit = (unit or "").strip()
    text = (value or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if normalise(unit) == SECRET_UNIT or (not text and not unit):
        return None, "secret statistique"
    try:
        factor, equivalent = unit_factor(unit)
    except ValueError:
        return BadCell(
            f"unité « {unit} » inconnue (attendu g, kg, t ou kt, éventuellement « éq. CO2 »).", True
        )
    stored = "t éq. CO2" if equivalent or polluant == "GES" else "t"
    if not text:
        return None, stored
    try:
        number = float(text)
    except ValueError:
        return BadCell(f"valeur « {value} » illisible.")
    if number != number or number < 0:
        return BadCell(f"valeur « {value} » négative ou invalide.")
    return number * factor, stored


def _sum(measures):
    units = [unit for _, unit in measures if unit != "secret statistique"]
    return total(value for value, _ in measures), (units[0] if units else "secret statistique")


def version_in_preamble(lines):
    """The release CIGALE's download names on its first line (« AtmoSud inventaire v11.2 - Export… »)."""
    match = PREAMBLE_VERSION.search(lines[0]) if lines else None
    return f"v{match[1]}" if match else None


def _version(given, in_file, in_preamble, source_name):
    if given:
        return given.strip()[:80]
    if len(in_file) > 1:
        raise ImportRejected(
            f"Le fichier mêle plusieurs versions de l'inventaire ({', '.join(sorted(in_file))}) : "
            "importez-les séparément. Rien n'a été importé."
        )
    if in_file:
        return in_file.pop()[:80]
    if in_preamble:
        return in_preamble
    for name in source_name:
        if name and (found := version_from_name(name)):
            return found
    raise ImportRejected(
        "Version de l'inventaire inconnue : le fichier ne la dit pas (ni colonne « version », ni nom du type "
        "« inventaire_v2023 »). Chaque version recalcule toutes les années : indiquez-la avec l'option "
        "--version (par exemple --version v2023) ou dans le nom du fichier. Rien n'a été importé."
    )


def import_file(path, progress=no_progress, version=None, name=None):
    members = zip_members(path) or []
    with open_text(path) as stream:
        rows, summary, version = read(
            stream, progress, version, [name, stream.name_in_archive, str(path), *members]
        )
    objects = [
        EmissionCommune(
            commune_id=commune_id, annee=annee, secteur=secteur, polluant=polluant, valeur=value, unite=unit,
            version=version,
        )
        for (commune_id, annee, secteur, polluant), (value, unit) in rows.items()
    ]  # fmt: skip
    years = sorted({annee for _, annee, _, _ in rows})
    summary.details.update(
        {
            "version": version,
            "annees": years,
            "polluants": sorted({polluant for *_, polluant in rows}),
            "secteurs": sorted({secteur for _, _, secteur, _ in rows}),
        }
    )
    upsert(
        objects,
        summary,
        keys=["version", "commune", "annee", "secteur", "polluant"],
        update_fields=["valeur", "unite"],
        on_commit=schedule_recompute,
    )
    progress(summary.read, summary.read)
    return summary


@register
class EmissionsImporter(Importer):
    kind = "emissions_air"
    label = (
        "Inventaire régional des émissions (AtmoSud, CIGALE) : polluants et GES par commune, secteur et année"
    )
    extensions = (".csv", ".txt", ".zip", ".csv.gz")
    observatoire = "environnement"
    plain_label = f"{label}, version lue dans le fichier ou son nom"

    def __init__(self, version=None):
        self.version = version

    def variants(self):
        """One kind per release for the admin upload too, for a file that does not say its release."""
        last = date.today().year
        stored = EmissionCommune.objects.values_list("version", flat=True).distinct()
        versions = {f"v{year}" for year in range(last - 3, last + 1)} | {v for v in stored if SUFFIX.match(v)}
        return [(v, f"{self.label}, version {v}") for v in sorted(versions, reverse=True)]

    def variant(self, suffix):
        if not SUFFIX.match(suffix):
            raise KeyError(suffix)
        imp = type(self)(suffix)
        imp.kind = f"{self.kind}:{suffix}"
        return imp

    def run(self, path, *, progress=no_progress):
        return import_file(path, progress, self.version)
