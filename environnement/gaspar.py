"""Géorisques GASPAR: natural-disaster decrees (CatNat) and risk-prevention plans (PPRN, PPRT, PPRM).

Géorisques publishes the base as one zip of ``;`` CSVs (UTF-8; Latin-1 read too), national, one table
per file: ``catnat_gaspar``, ``pprn_gaspar``, ``pprt_gaspar``, ``pprm_gaspar`` — imported — beside
``azi``, ``pcs``, ``risq``/``ddrm_risq``, ``dicrim``, ``tim``, ``papi``… — not imported, listed in the
summary. Member names carry the export's date since 2025 (``catnat_gaspar_2026-09-21.csv``).
The import takes the whole zip (every known member) or one of its CSVs alone, recognised from its
header; ``--membre`` picks one member of the zip.

The layouts of each table are described in ``gaspar_catnat`` and ``gaspar_ppr``; header names are
compared without case or accents and known misspellings mended (``gaspar_cells``). Exact duplicate
rows, which the national files hold by the thousand, are counted and dropped; rows sharing the
national key (the same decree for a commune and a peril written twice, or a Marseille arrondissement
and the commune) keep the commune's own row, else the most recently updated one. Marseille's
arrondissements (13201–13216) are stored under Marseille. Rows of communes outside the territory are
counted; a file with none inside is refused naming where it lies.
"""

import contextlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from observatoire.imports.base import (
    ErrorList,
    Importer,
    ImportRejected,
    Summary,
    TooManyErrors,
    no_progress,
    register,
)
from observatoire.imports.cells import insee_code, territory_codes
from observatoire.imports.files import (
    chosen_member,
    chosen_member_name,
    data_candidates,
    data_member,
    no_rows,
    open_text,
    read_table,
    zip_members,
)
from observatoire.imports.recognise import missing_columns
from observatoire.imports.writing import upsert

from . import gaspar_catnat, gaspar_ppr
from .gaspar_cells import Row, normalise_header
from .tasks import schedule_recompute

COMMAND = "import_gaspar"
PROGRESS_EVERY = 5000
# GASPAR tables the portal does not import (the name's start, normalised): listed, never read.
OTHER_TABLES = {
    "azi": "atlas des zones inondables",
    "pcs": "plans communaux de sauvegarde",
    "risq": "risques recensés par commune",
    "ddrm": "risques du dossier départemental (DDRM)",
    "dicrim": "DICRIM",
    "tim": "transmissions d'information au maire",
    "papi": "programmes d'actions de prévention des inondations",
    "tri": "territoires à risque important d'inondation",
    "sismicite": "zonage sismique",
}
HELP = (
    "Le portail importe de la base GASPAR les arrêtés CatNat (catnat_gaspar) et les plans de prévention "
    "des risques (pprn_gaspar, pprt_gaspar, pprm_gaspar), dans l'archive .zip de Géorisques ou un par un."
)


@dataclass
class Entry:
    values: dict
    own: bool  # under the commune's own code, not an arrondissement's
    maj: object


@dataclass
class Collected:
    """The rows of one model kept by key (commune id, *national key), with what was dropped."""

    module: object
    rows: dict = field(default_factory=dict)
    exact_duplicates: int = 0
    key_duplicates: int = 0
    arrondissements_merged: int = 0
    seen: set = field(default_factory=set)

    def add(self, commune_id, key, entry, fields):
        signature = tuple(fields)
        if signature in self.seen:
            self.exact_duplicates += 1
            return
        self.seen.add(signature)
        full_key = (commune_id, *key)
        kept = self.rows.get(full_key)
        if kept is None:
            self.rows[full_key] = entry
            return
        if kept.own != entry.own:
            self.arrondissements_merged += 1
            if entry.own:
                self.rows[full_key] = entry
            return
        if entry.own:
            self.key_duplicates += 1
        else:  # two arrondissements of the commune: one row for the commune
            self.arrondissements_merged += 1
        if (entry.maj or date.min) >= (kept.maj or date.min):  # a row without update date loses
            self.rows[full_key] = entry

    def objects(self):
        module = self.module
        return [module.build(key[0], key[1:], entry.values) for key, entry in self.rows.items()]


class Run:
    """One import: the members read, the rows kept per model, the errors, the summary."""

    def __init__(self, progress):
        self.progress = progress
        self.summary = Summary()
        self.errors = ErrorList()
        self.codes, self.own = territory_codes()
        self.catnat = Collected(gaspar_catnat)
        self.ppr = Collected(gaspar_ppr)
        self.imported, self.ignored, self.layouts = [], [], {}

    def read_member(self, name, stream, *, alone):
        """Read one CSV (a zip's member or the file itself); ``alone`` refuses a table not imported."""
        where = f" de {name}" if not alone else ""
        table = read_table(stream, allow_empty=True, where=name if not alone else "")
        raw_names = table.header
        header = normalise_header(raw_names)
        if gaspar_catnat.matches(header):
            module, collected, extra = gaspar_catnat, self.catnat, {}
        elif gaspar_ppr.matches(header):
            family = gaspar_ppr.family_of_table(PurePosixPath(name).name, header)
            module, collected, extra = gaspar_ppr, self.ppr, {"table_family": family}
        else:
            other = other_table_label(name, header)
            if alone:
                raise self.unknown_table(other, raw_names)
            self.ignored.append(f"{name} ({other or 'table non reconnue'})")
            return
        positions = module.LAYOUT.positions(header)
        missing = module.LAYOUT.missing(positions)
        if missing:
            refusal = missing_columns(raw_names, missing, COMMAND, f"Table des {module.LAYOUT.label}.")
            raise ImportRejected(f"{name} : {refusal}" if not alone else str(refusal), refusal.errors)
        if module is gaspar_ppr and extra["table_family"] is None and "modele" not in positions:
            raise ImportRejected(
                f"Famille du PPR inconnue pour « {name} » : ni le nom du fichier (pprn_…, pprt_…, pprm_…) "
                "ni une colonne CODE MODELE ne la disent. Gardez le nom que Géorisques donne au fichier "
                "(en ligne, le nom du fichier envoyé n'est pas conservé : importez l'archive .zip entière). "
                "Rien n'a été importé."
            )
        self.imported.append(name)
        self.layouts[name] = module.vintage(header, raw_names)
        read_before = self.summary.read
        with contextlib.suppress(TooManyErrors):
            self._rows(table, raw_names, positions, module, collected, where, extra)
        if alone and self.summary.read == read_before:
            raise no_rows()

    def _rows(self, table, raw_names, positions, module, collected, where, extra):
        summary, codes, own = self.summary, self.codes, self.own
        commune_position = positions["commune"]
        for line, fields in table:
            summary.read += 1
            if summary.read % PROGRESS_EVERY == 0:
                self.progress(summary.read, 0)
            raw_code = fields[commune_position]
            code = insee_code(raw_code)
            if code is None:
                self.errors.add(
                    f"{line}{where}", raw_names[commune_position], f"code commune invalide « {raw_code} »."
                )
                continue
            if code not in codes:
                summary.note_outside(code)
                continue
            row = Row(line, fields, positions, raw_names)
            read = module.read_row(row, self.errors, where, **extra)
            if read is None:
                continue
            key, values, maj = read
            entry = Entry(values, code in own, maj)
            collected.add(codes[code], key, entry, (module.__name__, *fields))

    def unknown_table(self, other, raw_names):
        if other:
            return ImportRejected(
                f"Ce fichier est la table GASPAR « {other} », que le portail n'importe pas. {HELP} "
                "Rien n'a été importé."
            )
        return missing_columns(
            raw_names,
            ["cod_nat_catnat (arrêtés CatNat) ou CODE PROCEDURE / cod_nat_pprn (PPR)"],
            COMMAND,
            HELP,
        )

    def write(self):
        """Validate everything read, then upsert each model; the summary gets the counts."""
        self.errors.raise_if_any()
        summary = self.summary
        for collected in (self.catnat, self.ppr):
            module = collected.module
            counts = upsert(
                collected.objects(),
                Summary(),
                keys=module.KEYS,
                update_fields=module.UPDATE_FIELDS,
                on_commit=schedule_recompute,
            )
            summary.inserted += counts.inserted
            summary.updated += counts.updated
        self.describe()
        self.progress(summary.read, summary.read)
        return summary

    def describe(self):
        summary, catnat, ppr = self.summary, self.catnat, self.ppr
        families = {}
        for entry in ppr.rows.values():
            families[entry.values["famille"]] = families.get(entry.values["famille"], 0) + 1
        exact = catnat.exact_duplicates + ppr.exact_duplicates
        keyed = catnat.key_duplicates + ppr.key_duplicates
        summary.details.update(
            {
                "membres_importes": self.imported,
                "membres_ignores": self.ignored,
                "dispositions": self.layouts,
                "arretes_catnat": len(catnat.rows),
                "plans_prevention": len(ppr.rows),
                "plans_par_famille": {str(k): v for k, v in sorted(families.items())},
                "doublons_exacts": exact,
                "doublons_de_cle": keyed,
                "arrondissements_fusionnes": catnat.arrondissements_merged + ppr.arrondissements_merged,
            }
        )
        if exact:
            summary.warnings.append(
                f"{exact} ligne(s) en double exact ignorée(s) (la base GASPAR en publie ; "
                "chacune comptée une fois)."
            )
        if keyed:
            summary.warnings.append(
                f"{keyed} ligne(s) répétant la clé d'une autre (même arrêté ou plan, commune et péril) : "
                "la plus récemment mise à jour a été gardée."
            )
        if self.ignored:
            summary.warnings.append(f"Fichiers de l'archive non importés : {', '.join(self.ignored)}.")


def other_table_label(name, header=()):
    """The label of a GASPAR table the portal does not import, told by its file name or its header
    (``cod_nat_azi``…, or the commune's risks ``cod_commune; num_risque; lib_risque`` alone); None
    otherwise. The admin upload keeps no file name: the header still tells."""
    stem = PurePosixPath(name or "").name.lower()
    for prefix, label in OTHER_TABLES.items():
        if stem.startswith(prefix) or f"cod_nat_{prefix}" in header:
            return label
    if set(header) == {"cod_commune", "lib_commune", "num_risque", "lib_risque"}:
        return OTHER_TABLES["risq"]
    return None


def import_file(path, *, progress=no_progress):
    run = Run(progress)
    names = zip_members(path)
    if names is None:
        with open_text(path) as stream:
            run.read_member(Path(path).name, stream, alone=True)
        return run.write()
    wanted = chosen_member_name()
    members = [data_member(path, names)] if wanted else data_candidates(names)
    if not members:
        raise ImportRejected(
            f"L'archive ne contient aucun fichier .csv : rien n'a été importé. {HELP}",
            [f"Fichiers de l'archive : {', '.join(names) or 'aucun'}."],
        )
    for member in sorted(members):
        with chosen_member(member), open_text(path) as stream:
            run.read_member(member, stream, alone=bool(wanted))
    if not run.imported:
        raise ImportRejected(
            f"L'archive ne contient aucune table GASPAR importable : rien n'a été importé. {HELP}",
            [f"Fichiers de l'archive : {', '.join(members)}."],
        )
    return run.write()


@register
class GasparImporter(Importer):
    kind = "gaspar"
    label = "Géorisques GASPAR : arrêtés de catastrophe naturelle (CatNat) et plans de prévention des risques"
    extensions = (".zip", ".csv")
    observatoire = "environnement"

    def run(self, path, *, progress=no_progress):
        return import_file(path, progress=progress)
