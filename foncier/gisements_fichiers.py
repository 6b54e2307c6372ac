"""Cell values of the foncier layers: labels compared without accents or case, CNIG dates.

Reading the layers themselves (zips, GPU folders, 2D, French errors) is
``observatoire.territoires.vector_files``; finding their communes ``observatoire.territoires.locate``.
"""

import datetime

from observatoire.core.textsearch import fold_accents
from observatoire.territoires.vector_files import text


def plain(value):
    """Lower case, no accents, spaces for separators: « Dent_Creuse » → « dent creuse »."""
    value = fold_accents(text(value))
    return " ".join(value.lower().replace("_", " ").replace("-", " ").replace("'", " ").split())


def parse_date(value):
    """CNIG dates are AAAAMMJJ; ISO dates and the date types GeoPackage drivers return pass too."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    raw = text(value)
    if not raw:
        return None
    for form in ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(raw, form).date()
        except ValueError:
            continue
    raise ValueError(raw)
