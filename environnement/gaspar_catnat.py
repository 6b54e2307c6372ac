"""GASPAR's table of natural-disaster decrees (``catnat_gaspar*.csv``): one row per commune × decree × peril.

Layouts accepted (names compared normalised, see ``gaspar_cells``):

- data.gouv.fr / Géorisques 2019–2024, ``catnat_gaspar.csv``: ``cod_nat_catnat; cod_commune;
  lib_commune; num_risque_jo; lib_risque_jo; dat_deb; dat_fin; dat_pub_arrete; dat_pub_jo; dat_maj``;
- Géorisques export 2025–2026, ``catnat_gaspar_AAAA-MM-JJ.csv``, columns renamed: ``id_gaspar;
  code_commune; libelle_commune; num_risque_jo; lib_risque_jo; date_debut; date_fin;
  date_signature_arrete; date_publication_jo; date_modification``, dates with a time of day.

The national key is (``cod_nat_catnat``, commune, ``num_risque_jo``).
"""

import re

from .gaspar_cells import Layout
from .models import ArreteCatnat

LAYOUT = Layout(
    "arrêtés de catastrophe naturelle (CatNat)",
    fields={
        "cod_nat_catnat": ("cod_nat_catnat", "id_gaspar", "code_national_catnat"),
        "commune": ("cod_commune", "code_commune", "code_insee", "code_insee_commune"),
        "num_risque_jo": ("num_risque_jo", "code_risque_jo"),
        "lib_risque_jo": ("lib_risque_jo", "libelle_risque_jo"),
        "dat_deb": ("dat_deb", "date_debut", "date_debut_evt"),
        "dat_fin": ("dat_fin", "date_fin", "date_fin_evt"),
        "dat_pub_arrete": ("dat_pub_arrete", "date_signature_arrete", "date_publication_arrete"),
        "dat_pub_jo": ("dat_pub_jo", "date_publication_jo"),
        "dat_maj": ("dat_maj", "date_modification", "date_maj"),
    },
    required=("cod_nat_catnat", "commune", "num_risque_jo", "lib_risque_jo", "dat_deb", "dat_fin"),
)
DATES = ("dat_deb", "dat_fin", "dat_pub_arrete", "dat_pub_jo")
MODEL = ArreteCatnat
KEYS = ["cod_nat_catnat", "commune", "num_risque_jo"]
UPDATE_FIELDS = ["lib_risque_jo", *DATES]
LENGTHS = {"cod_nat_catnat": 30, "num_risque_jo": 20}


def matches(header):
    """Whether a normalised header is the CatNat table's (either layout)."""
    names = set(header)
    return "cod_nat_catnat" in names or ("id_gaspar" in names and "lib_risque_jo" in names)


def vintage(header, raw_names):
    """Which layout the header is, as the summary names it."""
    if "cod_nat_catnat" in header:
        return "arrêtés CatNat, colonnes cod_nat_catnat… (millésimes 2019–2024)"
    return "arrêtés CatNat, colonnes id_gaspar, date_debut… (exports 2025–2026)"


def read_row(row, errors, where):
    """(key without the commune, field values, date of update) of one row; None when it is wrong."""
    ok = True
    codes = {}
    for name, limit in LENGTHS.items():
        codes[name] = row.get(name)
        if len(codes[name]) > limit:
            errors.add(
                f"{row.line}{where}",
                row.column(name),
                f"code trop long « {codes[name]} » ({limit} car. max).",
            )
            ok = False
    if not codes["cod_nat_catnat"]:
        errors.add(f"{row.line}{where}", row.column("cod_nat_catnat"), "code national de l'arrêté vide.")
        ok = False
    values = {"lib_risque_jo": row.get("lib_risque_jo")[:250]}
    for name in DATES:
        before = len(errors)
        values[name] = row.date(name, errors, where)
        ok = ok and len(errors) == before
    maj = row.date("dat_maj", errors, where)
    if not ok:
        return None
    return (codes["cod_nat_catnat"], codes["num_risque_jo"]), values, maj


def build(commune_id, key, values):
    cod_nat_catnat, num_risque_jo = key
    return ArreteCatnat(
        cod_nat_catnat=cod_nat_catnat, commune_id=commune_id, num_risque_jo=num_risque_jo, **values
    )


# Perils as the decrees name them (JO labels vary: « Inondations et/ou Coulées de Boue »,
# « Mouvements de terrain différentiels consécutifs à la sécheresse et à la réhydratation des sols »…).
PERILS = [
    ("secheresse", re.compile(r"s[ée]cheresse|r[ée]hydratation|argile", re.IGNORECASE)),
    ("inondation", re.compile(r"inond|coul[ée]e|submersion|crue|nappe|ruissel|lave torrentielle",
                              re.IGNORECASE)),
    ("mouvement_terrain", re.compile(r"mouvement|glissement|[ée]boulement|effondrement|affaissement|chute",
                                     re.IGNORECASE)),
    ("seisme", re.compile(r"s[ée]isme|sismique", re.IGNORECASE)),
    ("tempete", re.compile(r"temp[êe]te|vent|cyclon|gr[êe]le|poids de la neige", re.IGNORECASE)),
    ("vagues", re.compile(r"vague|houle|raz de mar[ée]e", re.IGNORECASE)),
]  # fmt: skip
PERIL_LABELS = {
    "inondation": "Inondations et coulées de boue",
    "secheresse": "Sécheresse (retrait-gonflement des argiles)",
    "mouvement_terrain": "Mouvements de terrain",
    "seisme": "Séismes",
    "tempete": "Tempêtes et phénomènes météorologiques",
    "vagues": "Chocs des vagues et submersion marine",
    "autre": "Autres périls",
}


def peril(lib_risque_jo):
    """The family of a decree's peril (``inondation``, ``secheresse``… ``autre``), from its JO label.

    A label naming the drought comes first: « Mouvements de terrain différentiels consécutifs à la
    sécheresse » is the clay shrink-swell peril, not a landslide.
    """
    for slug, pattern in PERILS:
        if pattern.search(lib_risque_jo or ""):
            return slug
    return "autre"
