"""The client's address, the one place the portal decides it.

``X-Forwarded-For`` is honoured only when the peer that sent the request is a proxy listed in
``TRUSTED_PROXIES``: anyone can write that header, so trusting it from any peer would let a
visitor choose the address recorded in the download audit or dodge the filing limits. Behind
trusted proxies the header is read from the right, skipping the proxies' own addresses, and
the first address that is not a trusted proxy is the client's.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in proxies if entry.strip())


def _parse(value):
    """An IP address from a header or REMOTE_ADDR entry, or None (ports and IPv6 brackets removed)."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if getattr(address, "scope_id", None):
        # A link-local zone ("fe80::1%eth0") means nothing to others and PostgreSQL's inet refuses it.
        address = ipaddress.ip_address(value.split("%", 1)[0])
    return address


def is_trusted_proxy(address):
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The client's IP address as a string, or None when the peer's address is not one."""
    peer = _parse(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return None
    if not is_trusted_proxy(peer):
        return str(peer)
    hops = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    client = peer
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            # A hop we cannot read: stop at the last address a trusted proxy vouched for.
            break
        client = address
        if not is_trusted_proxy(address):
            break
    return str(client)
