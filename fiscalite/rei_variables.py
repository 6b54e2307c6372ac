"""The REI variables the portal keeps: each vintage's code and long label mapped to an ``Element``.

The DGFiP names a variable by a code in the files up to 2018 and again from 2023 (``E12VOTE``),
and by a long French label in the files of 2019 to 2022 (« FB - COMMUNE / TAUX VOTE »); the OFGL's
long republication gives both, the label with its accents (« FB - COMMUNE / TAUX VOTÉ »). Code
scheme, as issue 16 sums up the REI's notice: the letter is the tax (``B`` foncier non bâti, ``E``
foncier bâti, ``F`` enlèvement des ordures ménagères, ``H`` habitation, ``P`` cotisation foncière
des entreprises), the tens digit the beneficiary (1 commune, 3 groupement à fiscalité propre), the
units digit the kind (1 base nette, 2 taux, 3 produit « montant réel », 4 nombre d'articles);
``VOTE`` marks the rate voted, as against the net rate applied on the commune's territory. The codes
and labels below were seen in public scripts reading the files and in the OFGL's variable list.
TEOM: ``F13`` is the total yield (« MONTANT RÉEL TOTAL », all zones), ``F14`` its number of
articles; the full-rate zone (« TAUX PLEIN ») is ``F2x``: ``F22`` its net rate, ``F23`` its smoothed
net yield, so ``F21`` its net base (the units-digit scheme; ``F21`` itself not seen in an extract);
``F3x``…``F8x`` are the reduced-rate zones. Public readers of ``REI_AAAA.csv`` and of the OFGL's
``var`` (github: code reading ``COLONNES_TAXE = {"teom": ("F13",)…}``, « les tranches de TEOM
F23–F83 », ``TEOM: {taux: 'F22', produit: 'F23'}``). From 2023 the second-home TH is coded with a
``THS`` suffix (``H13THS``, ``H23THS``, ``H33THS``; vacant dwellings ``…LV``); ``H11THS`` (its base)
follows the scheme, not seen in an extract.

Names are compared once normalised (``key``): accents, case, spaces and punctuation other than
« - » and « / » dropped, so « CFE - COMMUNE /TAUX NET » and « CFE - COMMUNE / TAUX NET » are one.
Where a file has both the voted and the net rate, the voted one is kept (``rank`` 0 before 1).
From 2023 the taxe d'habitation remains on second homes only: the TH base and yield of those years
are the THRS ones. The groupement's CFE, split by fiscal regime in some vintages, is read by
``regime_part`` and ``combine_regimes`` below.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from observatoire.core.textsearch import fold_accents

from .enums import Element

THRS_FROM = 2023
_DROPPED = re.compile(r"[^A-Z0-9/\-]")


@lru_cache(maxsize=8192)  # the OFGL's long file repeats ~1 000 var/varlib values on millions of rows
def key(name):
    """The comparable form of a column name or a ``var``/``varlib`` value."""
    text = fold_accents(str(name or ""))
    return _DROPPED.sub("", text.upper())


@dataclass(frozen=True)
class Variable:
    element: Element
    rank: int = 0  # 0 preferred (voted rate) over 1 (net rate)
    from_2023: Element | None = None  # the element it is from THRS_FROM on, when it changed

    def element_for(self, annee):
        return self.from_2023 if self.from_2023 and annee >= THRS_FROM else self.element


E = Element
# (element, rank, element from 2023 or None, names: code first, then the long labels seen)
_TABLE = [
    # Taxe foncière sur les propriétés bâties (E).
    (E.TFB_BASE_COMMUNE, 0, None, ["E11", "FB - COMMUNE / BASE NETTE"]),
    (E.TFB_TAUX_COMMUNE, 0, None, ["E12VOTE", "FB - COMMUNE / TAUX VOTE"]),
    (E.TFB_TAUX_COMMUNE, 1, None, ["E12", "FB - COMMUNE / TAUX NET"]),
    (E.TFB_PRODUIT_COMMUNE, 0, None, ["E13", "FB - COMMUNE / MONTANT REEL"]),
    (E.TFB_TAUX_EPCI, 0, None, ["E32VOTE", "FB - GFP / TAUX VOTE"]),
    (E.TFB_TAUX_EPCI, 1, None, ["E32", "FB - GFP / TAUX APPLICABLE SUR LE TERRITOIRE DE LA COMMUNE"]),
    (E.TFB_PRODUIT_EPCI, 0, None, ["E33", "FB - GFP / MONTANT REEL"]),
    # Taxe foncière sur les propriétés non bâties (B).
    (E.TFNB_BASE_COMMUNE, 0, None, ["B11", "FNB - COMMUNE / BASE NETTE"]),
    (E.TFNB_TAUX_COMMUNE, 0, None, ["B12VOTE", "FNB - COMMUNE / TAUX VOTE"]),
    (E.TFNB_TAUX_COMMUNE, 1, None, ["B12", "FNB - COMMUNE / TAUX NET"]),
    (E.TFNB_PRODUIT_COMMUNE, 0, None, ["B13", "FNB - COMMUNE / MONTANT REEL"]),
    # Taxe d'enlèvement des ordures ménagères (F), at its full rate (« taux plein »).
    (E.TEOM_BASE, 0, None, ["F21", "FB - TEOM / TAUX PLEIN - BASE NETTE"]),
    (E.TEOM_TAUX, 0, None, ["F22", "FB - TEOM / TAUX PLEIN - TAUX NET"]),
    (E.TEOM_PRODUIT, 0, None, ["F13", "FB - TEOM / MONTANT REEL TOTAL"]),
    # Cotisation foncière des entreprises (P).
    (E.CFE_BASE_COMMUNE, 0, None, ["P11", "CFE - COMMUNE / BASE"]),
    (E.CFE_TAUX_COMMUNE, 0, None, ["P12VOTE", "CFE - COMMUNE / TAUX VOTE"]),
    (E.CFE_TAUX_COMMUNE, 1, None, ["P12", "CFE - COMMUNE / TAUX NET"]),
    (E.CFE_PRODUIT_COMMUNE, 0, None, [
        "P13", "CFE - COMMUNE / PRODUIT REEL NET", "CFE - COMMUNE / PRODUIT REEL",
    ]),
    (E.CFE_BASE_EPCI, 0, None, ["P31", "CFE - INTERCOMMUNALITE / BASE"]),
    (E.CFE_TAUX_EPCI, 0, None, ["P32VOTE", "CFE - INTERCOMMUNALITE / TAUX VOTE"]),
    (E.CFE_TAUX_EPCI, 1, None, [
        "P32", "CFE - INTERCOMMUNALITE / TAUX NET",
        "CFE - INTERCOMMUNALITE / TAUX APPLICABLE SUR LE TERRITOIRE DE LA COMMUNE",
    ]),
    (E.CFE_PRODUIT_EPCI, 0, None, [
        "P33", "CFE - INTERCOMMUNALITE / PRODUIT REEL NET", "CFE - INTERCOMMUNALITE / PRODUIT REEL",
    ]),
    # Taxe d'habitation (H): on every dwelling up to 2022, on second homes from 2023.
    (E.TH_BASE_COMMUNE, 0, E.THRS_BASE_COMMUNE, ["H11", "TH - COMMUNE / BASE NETTE"]),
    (E.TH_TAUX_COMMUNE, 0, None, ["H12VOTE", "TH - COMMUNE / TAUX VOTE"]),
    (E.TH_TAUX_COMMUNE, 1, None, ["H12", "TH - COMMUNE / TAUX NET"]),
    (E.TH_PRODUIT_COMMUNE, 0, E.THRS_PRODUIT_COMMUNE, ["H13", "TH - COMMUNE / MONTANT REEL"]),
    (E.THRS_BASE_COMMUNE, 0, None, ["H11THS", "TH - COMMUNE / BASE NETTE THS"]),
    (E.THRS_PRODUIT_COMMUNE, 0, None, ["H13THS", "TH - COMMUNE / MONTANT REEL THS"]),
    (E.THRS_MAJORATION, 0, None, [
        "THSURTAXRSTAU", "TXMAJOTHRS", "TH - MAJORATION RESIDENCES SECONDAIRES / TAUX",
    ]),
]  # fmt: skip

VARIABLES = {
    key(name): Variable(element, rank, later) for element, rank, later, names in _TABLE for name in names
}
# Rates are percentages: a value above 100 is a misread column, not a rate.
RATES = {E.TFB_TAUX_COMMUNE, E.TFB_TAUX_EPCI, E.TFNB_TAUX_COMMUNE, E.TEOM_TAUX, E.CFE_TAUX_COMMUNE,
         E.CFE_TAUX_EPCI, E.TH_TAUX_COMMUNE, E.THRS_MAJORATION}  # fmt: skip


def variable(name):
    """The ``Variable`` a column name or a ``var``/``varlib`` value stands for, or None."""
    return VARIABLES.get(key(name))


# The groupement's CFE is split by its fiscal regime in the labelled workbooks of 2019–2022
# (« CFE - INTERCOMMUNALITE / TAUX NET / FISCALITE ADDITIONNELLE OU FP DE ZONE (HORS ZONE) ») and in
# the OFGL's ``varlib`` (« CFE - INTERCOMMUNALITÉ / TAUX VOTÉ / FP UNIQUE »): one column a regime,
# as public readers of both list them. A groupement has one regime, so a commune's row fills one of
# them; the others are empty or zero. Bases and yields are summed over the regimes; the rate is the
# first one filled in ``REGIMES`` order, the unique or the « hors zone » rate before a zone's own.
# Only these five regimes are read: another suffix under the same prefix (a total, an exempt base)
# would be added to them.
REGIMES = [
    "FP UNIQUE",
    "FP UNIQUE OU EN ZAE",
    "FISCALITE ADDITIONNELLE OU FP DE ZONE (HORS ZONE)",
    "FPZ EN ZAE",
    "FPE EN ZONE EOLIENNE",
]
_SPLIT = [
    (element, rank, key(prefix))
    for element, rank, prefix in [
        (E.CFE_BASE_EPCI, 0, "CFE - INTERCOMMUNALITE / BASE /"),
        (E.CFE_TAUX_EPCI, 0, "CFE - INTERCOMMUNALITE / TAUX VOTE /"),
        (E.CFE_TAUX_EPCI, 1, "CFE - INTERCOMMUNALITE / TAUX NET /"),
        (E.CFE_PRODUIT_EPCI, 0, "CFE - INTERCOMMUNALITE / PRODUIT REEL NET /"),
        (E.CFE_PRODUIT_EPCI, 0, "CFE - INTERCOMMUNALITE / PRODUIT REEL /"),
    ]
]  # (element, rank, the prefix as ``key`` writes it)
_REGIME_ORDER = {key(regime): order for order, regime in enumerate(REGIMES)}


@dataclass(frozen=True)
class RegimePart:
    """One fiscal regime's column of a variable the REI splits by regime."""

    element: Element
    rank: int
    order: int  # the regime's place in REGIMES
    regime: str = ""  # the regime as normalised (``key``): one value of it per commune and year


def regime_part(name):
    """The ``RegimePart`` a column name or ``varlib`` stands for, or None (a regime not in REGIMES too)."""
    name_key = key(name)
    for element, rank, prefix_key in _SPLIT:
        regime = name_key[len(prefix_key) :] if name_key.startswith(prefix_key) else ""
        if regime in _REGIME_ORDER:
            return RegimePart(element, rank, _REGIME_ORDER[regime], regime)
    return None


def combine_regimes(element, cells):
    """(valeur, secret) of ``element`` from its regimes' (RegimePart, (valeur, secret)) cells.

    Rates: the first regime with a non-zero rate. Bases and yields: the sum of the regimes given.
    When no regime holds a non-zero value and one is secret (an empty cell, a « s »), the groupement's
    own regime may be that one: the value is secret, not zero, as for any cell. Zero only when every
    regime says zero.
    """
    given = sorted((part.order, valeur) for part, (valeur, _) in cells if valeur is not None)
    filled = [valeur for _, valeur in given if valeur]
    if not filled:
        return (0, False) if given and len(given) == len(cells) else (None, True)
    return (filled[0], False) if element in RATES else (sum(filled), False)
