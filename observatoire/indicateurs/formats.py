"""French display of indicator values: 1 234 logements, 12,5 %, +3,2 %."""

from observatoire.core.formats import format_number


def format_valeur(value):
    """Whole numbers above 100, otherwise at most two decimals; None gives an em dash."""
    if value is None:
        return "—"
    if abs(value) >= 100 or float(value).is_integer():
        return format_number(round(value)).replace("-", "\u2212")
    text = f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return text.replace("-", "\u2212")


def format_evolution(percent):
    if percent is None:
        return "—"
    sign = "+" if percent > 0 else "\u2212" if percent < 0 else ""
    return f"{sign}{abs(percent):.1f}".replace(".", ",") + "\u00a0%"
