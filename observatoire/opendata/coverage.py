"""What a published version covers, read from the version itself: its period and the territory.

The period comes from the published GeoParquet file's column statistics (min/max per row group, in the
file's footer): dates and timestamps, and years (« annee », « millesime »). It is the period of the rows
that were published, not of the live tables, and costs one footer read per file; files never change
once published, so the result is cached under their SHA-256 for good.
"""

import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import Transform
from django.core.cache import cache
from django.core.files.storage import default_storage

from observatoire.territoires.models import Commune, Epci

YEAR_COLUMNS = ("annee", "millesime")


def _as_date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):  # files written before dates were typed: ISO text
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _bounds(field, low, high):
    """The dates a column's min/max stand for, or None when the column says nothing of time."""
    if field.name in YEAR_COLUMNS and pa.types.is_integer(field.type):
        return dt.date(int(low), 1, 1), dt.date(int(high), 12, 31)
    is_time = pa.types.is_date(field.type) or pa.types.is_timestamp(field.type)
    if is_time or (pa.types.is_string(field.type) and field.name.startswith("date")):
        start, end = _as_date(low), _as_date(high)
        if start and end:
            return start, end
    return None


def parquet_period(handle):
    """(first day, last day) the rows of a Parquet file cover, or (None, None)."""
    metadata = pq.ParquetFile(handle).metadata
    schema = metadata.schema.to_arrow_schema()
    starts, ends = [], []
    for index, field in enumerate(schema):
        for group in range(metadata.num_row_groups):
            stats = metadata.row_group(group).column(index).statistics
            if stats is None or not stats.has_min_max:
                continue
            bounds = _bounds(field, stats.min, stats.max)
            if bounds:
                starts.append(bounds[0])
                ends.append(bounds[1])
    return (min(starts), max(ends)) if starts else (None, None)


def published_period(publication):
    """The period the rows of a published version cover, from its Parquet file."""
    parquet = next((r for r in publication.ressources.all() if r.format == "parquet"), None)
    if parquet is None:
        return None, None

    def read():
        try:
            with default_storage.open(parquet.fichier, "rb") as handle:
                return parquet_period(handle)
        except (OSError, pa.ArrowException):  # a lost or unreadable file costs the period, not the catalogue
            return None, None

    return cache.get_or_set(f"opendata:periode:{parquet.sha256}", read, timeout=None)


def territory_extent():
    """(xmin, ymin, xmax, ymax) in WGS 84 of the territory (the EPCI, else its communes), or None."""
    epci = Epci.objects.filter(siren=settings.METROPOLE_EPCI_SIREN, geom__isnull=False)
    communes = Commune.objects.filter(epci__siren=settings.METROPOLE_EPCI_SIREN)
    for queryset in (epci, communes):
        extent = queryset.aggregate(box=Extent(Transform("geom", 4326)))["box"]
        if extent:
            return extent
    return None


def territory_name():
    epci = Epci.objects.filter(siren=settings.METROPOLE_EPCI_SIREN).first()
    return epci.nom if epci else settings.OPENDATA_PUBLISHER
