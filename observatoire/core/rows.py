"""Which portal views serve the rows of a catalogued dataset, asked of the view itself.

A view that serves a dataset's rows carries a ``row_gate`` (set by ``gouvernance.gate.serves_rows``
or declared on a DRF view): an object answering ``allows(user, url_kwargs)``. The platform core
reads it here, without importing ``gouvernance``, e.g. to hide an observatory content that points
at a page its visitor may not open.
"""

from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

ATTRIBUTE = "row_gate"


def row_gate_of(view):
    """The gate of a URL pattern's callback (function view, class-based view or DRF view), or None."""
    gate = getattr(view, ATTRIBUTE, None)
    if gate is None:
        gate = getattr(getattr(view, "view_class", None), ATTRIBUTE, None)
    return gate


def row_gate_at(url):
    """(gate, URL arguments) of the portal view at ``url``; (None, {}) for other sites and other views."""
    parts = urlsplit(url or "")
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None, {}
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None, {}
    gate = row_gate_of(match.func)
    return (gate, match.kwargs) if gate is not None else (None, {})
