"""Parameters typed by anyone (query strings, forms): parsed so that odd values are refused, not 500s.

Three traps found by an audit, each closed here once for every filter and endpoint:

- PostgreSQL refuses a time-zone displacement beyond ±15:59 that Python accepts (up to ±23:59);
- a date near year 1 or 9999 overflows as soon as a day is added or it is converted to UTC;
- an integer past a bigint makes PostgreSQL fail (OFFSET, primary keys), and Python refuses to
  convert a string of more than 4 300 digits.
"""

from datetime import UTC, datetime, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)
# A year of margin on both sides of Python's range, so that a search window (a few months) and a
# conversion to any time zone stay representable. No report is that old or that far ahead, so a
# date beyond these bounds selects the same rows once clamped.
EARLIEST = datetime(2, 1, 1, tzinfo=UTC)
LATEST = datetime(9998, 12, 31, tzinfo=UTC)
BIGINT_MAX = 2**63 - 1

DATETIME_HELP = "une date ou date-heure ISO 8601 (ex. 2026-11-21 ou 2026-11-21T14:03:00+01:00)"


def aware_datetime(raw):
    """An ISO 8601 date or date-time, aware (current time zone when naive), clamped to
    [EARLIEST, LATEST]. Raises ValueError for anything else, offsets beyond ±15:59 included."""
    raw = raw.strip()
    # An offset sent unencoded in a query string ("+01:00") arrives as " 01:00".
    if len(raw) > 6 and raw[-6] == " " and "T" in raw:
        raw = raw[:-6] + "+" + raw[-5:]
    moment = parse_datetime(raw)  # raises ValueError for impossible values (month 13, offset +25:00)
    if moment is None:
        raise ValueError(raw)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    elif abs(moment.utcoffset()) > MAX_UTC_OFFSET:
        raise ValueError(raw)
    return min(max(moment, EARLIEST), LATEST)


def bounded_int(raw, minimum=0, maximum=BIGINT_MAX):
    """A whole number written in ASCII digits, within [minimum, maximum]; ValueError otherwise."""
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(maximum)):
        raise ValueError(raw)
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ValueError(raw)
    return value


class AwareDateTimeField(forms.DateTimeField):
    """A form field over ``aware_datetime``: same answers in filters, forms and Open311."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return super().to_python(value)
        try:
            return aware_datetime(str(value))
        except ValueError as error:
            raise ValidationError(f"Saisissez {DATETIME_HELP}.", code="invalid") from error


class AwareDateTimeFilter(django_filters.IsoDateTimeFilter):
    """django-filter's ISO date-time filter, parsed by ``aware_datetime`` (documented alike)."""

    field_class = AwareDateTimeField
