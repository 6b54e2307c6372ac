"""French display of indicator values (1 234 logements, 12,5 %, +3,2 %), and their rounding.

An indicator value shows as a whole number from 100 up, otherwise with at most two decimals;
``rounded_valeur`` gives the same precision as a number, for exports, so that a file says what
the page says (481 288, not 481287,80488).
"""

from observatoire.core.formats import format_number, format_percent, format_points

from .data import evolution


def display_decimals(value):
    return 0 if abs(value) >= 100 or float(value).is_integer() else 2


def rounded_valeur(value):
    """The value at the page's precision: an int when the page shows a whole number."""
    if value is None:
        return None
    rounded = round(float(value), display_decimals(value))
    return int(rounded) if rounded.is_integer() else rounded


# Indicators whose value is a year (« année du dernier arrêté CatNat »): 2026, never « 2 026 ».
YEAR_UNITS = {"année", "an"}


def format_valeur(value, unite=None):
    """Whole numbers above 100, otherwise at most two decimals; None gives an em dash."""
    if value is None:
        return "—"
    if unite in YEAR_UNITS:
        return str(round(value))
    return format_number(value, display_decimals(value))


def format_evolution(percent):
    """A relative change between two millésimes: « +3,2 % »."""
    if percent is None:
        return "—"
    return format_percent(percent, signed=True)


def format_ecart_points(points):
    """The change of a rate (an indicator in %), in percentage points: « +0,7 point »."""
    if points is None:
        return "—"
    return format_points(points)


def is_rate(indicateur):
    """A share or rate (unit « % »): its change reads in percentage points, not in %."""
    return indicateur.unite.strip() == "%"


def change(indicateur, valeur, precedent):
    """The change between two millésimes as a number: points for a rate, % otherwise."""
    if valeur is None or precedent is None:
        return None
    if is_rate(indicateur):
        return valeur - precedent
    return evolution(valeur, precedent)


def format_change(indicateur, valeur, precedent):
    """« +0,7 point » for a rate (7,5 % → 8,2 %), « +3,2 % » for a count or a price."""
    value = change(indicateur, valeur, precedent)
    return format_ecart_points(value) if is_rate(indicateur) else format_evolution(value)


def change_unit(indicateur):
    return "points" if is_rate(indicateur) else "%"
