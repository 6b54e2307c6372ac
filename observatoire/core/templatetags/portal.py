import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from observatoire.core import formats
from observatoire.core.formats import format_number

register = template.Library()


@register.filter
def nombre(value):
    """1878061 → « 1 878 061 »."""
    if value in (None, ""):
        return ""
    return format_number(int(value))


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def date_fr(value, style=""):
    """« 1er décembre 2026 »; style "court": « 25 nov. 2026 »; "jour": « mardi 1er décembre 2026 »."""
    if not value:
        return ""
    return formats.format_date(_local(value), short=style == "court", weekday=style == "jour")


@register.filter
def date_heure_fr(value):
    """« 1er décembre 2026 à 14:05 », in the portal's time zone."""
    return formats.format_datetime(_local(value)) if value else ""


@register.filter
def ordinal(rank):
    """1 → « 1<sup>er</sup> », 2 → « 2<sup>e</sup> »."""
    if rank in (None, ""):
        return ""
    rank = int(rank)
    return format_html("{}<sup>{}</sup>", rank, formats.ordinal(rank).removeprefix(str(rank)))


@register.filter
def pluriel(number, suffixes="s"):
    """Django's pluralize in French: 0 and 1 take the singular (« 0 jeu », « 1 jeu », « 2 jeux »).

    ``suffixes`` as pluralize's: "x" or "singular,plural" ("est,sont").
    """
    singular, _, plural = suffixes.rpartition(",") if "," in suffixes else ("", "", suffixes)
    try:
        many = abs(float(number)) >= 2
    except (TypeError, ValueError):
        many = len(number) >= 2
    return plural if many else singular


@register.filter
def compte(number, noms):
    """{{ n|compte:"jeu de données,jeux de données" }} → « 0 jeu de données », « 3 jeux de données »."""
    singular, _, plural = noms.partition(",")
    return formats.count_of(number or 0, singular, plural or None)


@register.filter
def decimales(value, decimals=1):
    """floatformat in the portal's typography: {{ 1234.56|decimales:1 }} → « 1 234,6 », 3 → « 3,0 »;
    a negative count drops trailing zeros (« -1 »: 3 → « 3 », 2.5 → « 2,5 »); never « −0,0 »."""
    if value in (None, ""):
        return ""
    decimals = int(decimals)
    return formats.format_number(float(value), abs(decimals), trim=decimals < 0)


@register.filter
def pourcent(value, decimals=1):
    return "" if value is None else formats.format_percent(value, decimals)


@register.filter
def points(value):
    """The change of a rate: « +0,7 point »."""
    return "" if value is None else formats.format_points(value)


@register.filter
def with_error_state(field):
    """Render a form field; when it has errors, tie them to it for screen readers."""
    if not field.errors:
        return field.as_widget()
    described_by = [f"{field.auto_id}_error"]
    if field.help_text:
        described_by.insert(0, f"{field.auto_id}_helptext")
    return field.as_widget(attrs={"aria-invalid": "true", "aria-describedby": " ".join(described_by)})
