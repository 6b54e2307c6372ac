"""HMAC-SHA256 signatures of the webhook bodies, both ways, with a timestamp against replays.

The signed message is ``<timestamp>.<body>``: changing the timestamp of a captured call breaks
its signature, and a call older than ``TOLERANCE`` is refused even when correctly signed.
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Signature"
TIMESTAMP_HEADER = "X-Signature-Timestamp"
TOLERANCE = 300  # seconds either way: clocks of two servers are never quite equal


class SignatureError(Exception):
    """Missing, stale or wrong signature; the message is French and goes back to the caller."""


def sign(secret, timestamp, body):
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret, body, now=None):
    timestamp = int(now if now is not None else time.time())
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(secret, headers, body, now=None):
    """Raise SignatureError unless ``headers`` sign ``body`` with ``secret`` recently enough."""
    raw_timestamp = headers.get(TIMESTAMP_HEADER, "")
    signature = headers.get(SIGNATURE_HEADER, "")
    if not raw_timestamp or not signature:
        raise SignatureError(f"En-têtes {SIGNATURE_HEADER} et {TIMESTAMP_HEADER} obligatoires.")
    try:
        timestamp = int(raw_timestamp)
    except ValueError as error:
        raise SignatureError(f"{TIMESTAMP_HEADER} : un horodatage Unix en secondes.") from error
    current = now if now is not None else time.time()
    if abs(current - timestamp) > TOLERANCE:
        raise SignatureError("Horodatage trop ancien ou dans le futur : appel refusé.")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        raise SignatureError("Signature invalide.")
