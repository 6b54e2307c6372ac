"""The portal's one formatting layer for French text: numbers, percentages, points, ordinals, dates.

Pages (template filters in core.templatetags.portal), charts and exports all format through here
so that a figure reads the same everywhere: « 1 878 061 », « 7,5 % », « +0,7 point »,
« 1er sur 92 », « 1er décembre 2026 », « 25 nov. 2026 », « 1 jeu de données », « d'appartements ».

Typography follows the Imprimerie nationale's rules as French public sites apply them: a narrow
no-break space groups thousands, a no-break space precedes « % », the minus sign is U+2212, and a
value that rounds to zero carries no sign (never « −0,0 % »).
"""

import datetime

MINUS = "\u2212"
THOUSANDS = "\u202f"  # narrow no-break space
NBSP = "\u00a0"

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
# Abbreviations of the Office québécois / Imprimerie nationale (short months stay whole).
MONTHS_SHORT = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


def format_number(value, decimals=0, trim=True):
    """1878061 → « 1 878 061 »; 7.456 with 2 decimals → « 7,46 »; trailing zeros dropped (trim)."""
    text = f"{abs(value):,.{decimals}f}"
    if decimals and trim:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(",", THOUSANDS).replace(".", ",")
    return (MINUS + text) if value < 0 and text.strip("0,") else text


def format_signed(value, decimals=1):
    """A change: « +3,2 », « −0,4 », and « 0 » (no sign) when it rounds to zero."""
    text = format_number(value, decimals)
    return text if text.startswith(MINUS) or not text.strip("0,") else "+" + text


def format_percent(value, decimals=1, signed=False):
    """7.5 → « 7,5 % »; signed: « +11,1 % » (a relative change)."""
    number = format_signed(value, decimals) if signed else format_number(value, decimals)
    return f"{number}{NBSP}%"


def format_points(value, decimals=1):
    """The change of a rate, in percentage points: 0.7 → « +0,7 point », 2 → « +2 points »."""
    number = format_signed(value, decimals)
    plural = abs(round(value, decimals)) >= 2
    return f"{number}{NBSP}point{'s' if plural else ''}"


def ordinal(rank, feminine=False):
    """1 → « 1er » (« 1re » feminine), 2 → « 2e »."""
    if rank == 1:
        return "1re" if feminine else "1er"
    return f"{rank}e"


WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def format_date(value, short=False, weekday=False):
    """« 1er décembre 2026 », « 25 novembre 2026 »; short: « 25 nov. 2026 »; weekday: « mardi 1er… »."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    months = MONTHS_SHORT if short else MONTHS
    day = "1er" if value.day == 1 else str(value.day)  # only the first of the month is ordinal
    text = f"{day} {months[value.month - 1]} {value.year}"
    return f"{WEEKDAYS[value.weekday()]} {text}" if weekday else text


def format_datetime(value):
    """« 1er décembre 2026 à 14:05 » (the caller gives local time)."""
    return f"{format_date(value)} à {value:%H:%M}"


def count_of(number, singular, plural=None):
    """0 → « 0 jeu de données »: in French, 0 and 1 take the singular."""
    if plural is None:
        plural = singular + "s"
    return f"{format_number(number)} {singular if abs(number) < 2 else plural}"


VOWELS = "aàâeéèêëiîïoôuùûyœh"


def de(word):
    """« de » elided before a vowel or a mute h: « d'appartements », « de maisons »."""
    return f"d'{word}" if word[:1].lower() in VOWELS else f"de {word}"
