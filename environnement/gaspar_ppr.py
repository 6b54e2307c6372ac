"""GASPAR's tables of risk-prevention plans (``pprn_gaspar*.csv``, ``pprt_…``, ``pprm_…``): one row per
plan × commune × hazard.

Layouts accepted (names compared normalised, see ``gaspar_cells``):

- data.gouv.fr / Géorisques 2019–2024, lower case: ``cod_nat_pprn`` (``cod_nat_pprt``,
  ``cod_nat_pprm``); ``lib_bassin_risques``; ``num_risque``; ``lib_risque``; ``cod_commune`` (often an
  integer: ``1001`` for 01001); ``lib_commune``; ``cod_ppr`` (the plan's model); ``dat_prescription``;
  ``dat_appli_ant``; ``dat_approbation``; ``dat_deprescription``; ``dat_annulation``;
  ``dat_abrogation``…: no state column, the state is told by the dates;
- Géorisques export 2025–2026, upper case with spaces: ``CODE MODELE`` (PPRN-I, PPRN-Multi, PPRT…),
  ``CODE PROCEDURE`` — written « CODE PROECEDURE » in the PPRN, PPRT and PPRM tables public readers
  of the exports select —, ``LIBELLE PROCEDURE``,
  ``CODE INSEE COMMUNE``, ``CODE RISQUE 1/2/3`` and ``LIBELLE RISQUE 1/2/3`` (the third code's header
  is written « CODE RISQUE 2 » a second time), ``PRESCRIPTION``, ``APPLIC_ANTIC``, ``APPROBATION``,
  ``ANNULATION``, ``ABROGATION``, ``DEPRESCRIPTION``, ``LIBELLE ETAT``, ``LIBELLE SOUS-ETAT``,
  ``DATE DERNIERE MISE A JOUR``.

The hazard kept is the most detailed one the row gives (code 3, else 2, else 1). The family (PPRN, PPRT,
PPRM) comes from ``CODE MODELE`` when the row has it, else from the file's name (``pprt_gaspar…``),
else from the code column's name (``cod_nat_pprt``).
"""

import re

from .enums import FamillePpr
from .gaspar_cells import Layout
from .models import PlanPrevention

LAYOUT = Layout(
    "plans de prévention des risques (PPR)",
    fields={
        "cod_nat_ppr": ("code_procedure", "cod_nat_pprn", "cod_nat_pprt", "cod_nat_pprm", "cod_nat_ppr"),
        "commune": ("code_insee_commune", "cod_commune", "code_commune", "code_insee"),
        "lib_ppr": ("libelle_procedure", "lib_pprn", "lib_pprt", "lib_pprm", "lib_ppr"),
        "modele": ("code_modele",),
        "modele_libelle": ("libelle_modele", "cod_ppr"),
        "cod_risque_3": ("code_risque_3",),
        "cod_risque_2": ("code_risque_2",),
        "cod_risque_1": ("code_risque_1", "num_risque", "cod_risque", "code_risque"),
        "lib_risque_3": ("libelle_risque_3",),
        "lib_risque_2": ("libelle_risque_2",),
        "lib_risque_1": ("libelle_risque_1", "lib_risque", "libelle_risque"),
        "prescription": ("prescription", "dat_prescription", "date_prescription"),
        "applic_antic": ("applic_antic", "dat_appli_ant", "date_application_anticipee"),
        "approbation": ("approbation", "dat_approbation", "date_approbation"),
        "deprescription": ("deprescription", "dat_deprescription", "date_deprescription"),
        "annulation": ("annulation", "dat_annulation", "date_annulation"),
        "abrogation": ("abrogation", "dat_abrogation", "dat_abroge", "date_abrogation"),
        "etat": ("libelle_etat",),
        "sous_etat": ("libelle_sous_etat",),
        "maj": ("date_derniere_mise_a_jour", "dat_maj"),
    },
    required=("cod_nat_ppr", "commune", "prescription", "approbation"),
)
MODEL = PlanPrevention
KEYS = ["cod_nat_ppr", "commune", "cod_risque"]
UPDATE_FIELDS = [
    "lib_ppr",
    "famille",
    "lib_risque",
    "dat_prescription",
    "dat_approbation",
    "dat_abrogation",
    "etat",
]
READ_DATES = ("prescription", "applic_antic", "approbation", "deprescription", "annulation", "abrogation")
# The state when the layout has no state column: the last step its dates tell.
STATE_FROM_DATES = [
    ("abrogation", "Abrogé"),
    ("annulation", "Annulé"),
    ("deprescription", "Déprescrit"),
    ("approbation", "Approuvé"),
    ("applic_antic", "Appliqué par anticipation"),
    ("prescription", "Prescrit"),
]
FAMILY_IN_NAME = re.compile(r"(?:^|[^a-z])(pprn|pprt|pprm)(?:[^a-z]|$)")
FAMILY_COLUMNS = {
    "cod_nat_pprn": FamillePpr.PPRN,
    "cod_nat_pprt": FamillePpr.PPRT,
    "cod_nat_pprm": FamillePpr.PPRM,
}


def matches(header):
    names = set(header)
    return bool(names & {"code_procedure", "cod_nat_pprn", "cod_nat_pprt", "cod_nat_pprm", "cod_nat_ppr"})


def vintage(header, raw_names):
    """Which layout the header is, as the summary names it."""
    if "code_procedure" not in header:
        return "PPR, colonnes en minuscules cod_nat_ppr… (millésimes 2019–2024), état déduit des dates"
    misspelt = " (en-tête « CODE PROECEDURE »)" if any("PROECEDURE" in n.upper() for n in raw_names) else ""
    return f"PPR, colonnes en majuscules CODE PROCEDURE… (exports 2025–2026){misspelt}"


def family_of_table(name, header):
    """The family the file's name or its code column tells (None when neither does)."""
    found = FAMILY_IN_NAME.search((name or "").lower())
    if found:
        return FamillePpr(found[1].upper())
    for column, family in FAMILY_COLUMNS.items():
        if column in header:
            return family
    return None


def family_of_row(modele, table_family):
    """PPRT and PPRM from ``CODE MODELE``'s prefix, PPRN too; otherwise the table's family."""
    modele = (modele or "").strip().upper()
    for family in (FamillePpr.PPRT, FamillePpr.PPRM, FamillePpr.PPRN):
        if modele.startswith(family.value):
            return family
    return table_family


def read_row(row, errors, where, table_family):
    """(key without the commune, field values, date of update) of one row; None when it is wrong."""
    line = f"{row.line}{where}"
    code = row.get("cod_nat_ppr")
    ok = True
    if not code:
        errors.add(line, row.column("cod_nat_ppr"), "code national du PPR vide.")
        ok = False
    elif len(code) > 40:
        errors.add(line, row.column("cod_nat_ppr"), f"code trop long « {code} » (40 car. max).")
        ok = False
    level = next((n for n in (3, 2, 1) if row.get(f"cod_risque_{n}")), 1)
    cod_risque, lib_risque = row.get(f"cod_risque_{level}"), row.get(f"lib_risque_{level}")
    if not lib_risque:
        lib_risque = next((row.get(f"lib_risque_{n}") for n in (3, 2, 1) if row.get(f"lib_risque_{n}")), "")
    if len(cod_risque) > 30:
        errors.add(line, row.column(f"cod_risque_{level}"), f"code d'aléa trop long « {cod_risque} ».")
        ok = False
    family = family_of_row(row.get("modele"), table_family)
    if family is None:
        errors.add(
            line, row.column("modele"),
            f"famille du PPR inconnue (« {row.get('modele')} ») : nommez le fichier pprn_…, pprt_… ou pprm_… "
            "comme Géorisques le publie, ou importez l'archive .zip entière.",
        )  # fmt: skip
        ok = False
    before = len(errors)
    dates = {name: row.date(name, errors, where) for name in READ_DATES}
    maj = row.date("maj", errors, where)
    if not ok or len(errors) != before:
        return None
    values = {
        "lib_ppr": row.get("lib_ppr")[:300],
        "famille": family,
        "lib_risque": lib_risque[:250],
        "dat_prescription": dates["prescription"],
        "dat_approbation": dates["approbation"],
        "dat_abrogation": dates["abrogation"],
        "etat": state(row, dates)[:80],
    }
    return (code, cod_risque), values, maj


def state(row, dates):
    """« Opposable – Approuvé » as published; from the dates when the layout has no state column."""
    etat, sous_etat = row.get("etat"), row.get("sous_etat")
    if etat or sous_etat:
        return " – ".join(part for part in dict.fromkeys([etat, sous_etat]) if part)
    if "etat" in row.positions:
        return ""
    return next((label for name, label in STATE_FROM_DATES if dates[name]), "")


def build(commune_id, key, values):
    cod_nat_ppr, cod_risque = key
    return PlanPrevention(cod_nat_ppr=cod_nat_ppr, commune_id=commune_id, cod_risque=cod_risque, **values)


# Hazards as GASPAR labels them across vintages (« Inondation - Par une crue à débordement lent de
# cours d'eau », « Mouvement de terrain - Tassements différentiels », « Feu de forêt »…).
ALEAS = [
    ("retrait_gonflement_argiles", re.compile(r"argile|tassement|retrait|s[ée]cheresse", re.IGNORECASE)),
    ("inondation", re.compile(r"inond|submersion|crue|ruissel|coul[ée]e|nappe|torrenti", re.IGNORECASE)),
    ("incendie_foret", re.compile(r"feu|incendie|for[êe]t", re.IGNORECASE)),
    ("mouvement_terrain", re.compile(r"mouvement|glissement|[ée]boulement|chute|effondrement|affaissement|"
                                     r"cavit|[ée]rosion|recul|falaise", re.IGNORECASE)),
    ("seisme", re.compile(r"s[ée]isme|sismique", re.IGNORECASE)),
]  # fmt: skip
ALEA_LABELS = {
    "inondation": "Inondation",
    "mouvement_terrain": "Mouvement de terrain",
    "retrait_gonflement_argiles": "Retrait-gonflement des argiles",
    "incendie_foret": "Incendie de forêt",
    "seisme": "Séisme",
    "autre": "Autre aléa",
}


def alea(lib_risque, lib_ppr=""):
    """The hazard family of a plan's row (``inondation``, ``retrait_gonflement_argiles``… ``autre``),
    from the hazard's label, else the plan's (a PPRT's hazards are technological: ``autre``)."""
    for text in (lib_risque, lib_ppr):
        for slug, pattern in ALEAS:
            if pattern.search(text or ""):
                return slug
    return "autre"
