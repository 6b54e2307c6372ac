"""Filing once per idempotency key: a retried request gets the first report back.

API and Open311 clients send an ``Idempotency-Key`` header (IETF draft "The Idempotency-Key
HTTP Header Field"); the web form carries a one-time token of ours. A key belongs to its client
(account, Open311 client or address) and lives ``SIGNALEMENT_IDEMPOTENCY_HOURS``. The same key
with another content is refused (422, as the draft says); a filing that failed stores no key,
so the client may correct its request and send it again under the same key.
"""

import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import IdempotencyKey
from .ratelimit import client_digest

HEADER = "Idempotency-Key"
HEADER_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as a header allows


class IdempotencyError(Exception):
    """The key cannot be used; ``status`` is the HTTP status to answer, the message is French."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def new_form_token():
    return secrets.token_urlsafe(24)


def key_from(request):
    """The request's Idempotency-Key (quotes of the draft's string form removed), or None."""
    raw = request.headers.get(HEADER, "").strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    if not raw:
        return None
    if not HEADER_PATTERN.fullmatch(raw):
        raise IdempotencyError(f"{HEADER} : de 1 à 255 caractères ASCII visibles.", status=400)
    return raw


def fingerprint(*, lon, lat, categorie, description, email="", photos=(), reponses=None):
    """A digest of what is filed, photos' bytes included (read, then rewound for their cleaning)."""
    content = [float(lon), float(lat), categorie.pk, description, (email or "").strip().lower()]
    if reponses:
        # Appended only when there are answers: digests of reports without questions stay the same.
        content.append(reponses)
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode())
    for photo in photos:
        for chunk in photo.chunks():
            digest.update(chunk)
        photo.seek(0)
    return digest.hexdigest()


@dataclass(frozen=True)
class Claim:
    """One filing request under a key (``key`` None: no key, every request files)."""

    scope: str
    client: str
    key: str | None
    fingerprint: str

    @classmethod
    def of(cls, scope, client, key, **content):
        """The claim of ``client`` filing ``content`` (see ``fingerprint``) under ``key``."""
        return cls(scope, client, key, fingerprint(**content) if key is not None else "")

    def _rows(self):
        return IdempotencyKey.objects.filter(
            scope=self.scope, client=client_digest(self.client), key=self.key
        )

    def previous(self):
        """The report already filed under this key, or None; IdempotencyError if the content differs."""
        if self.key is None:
            return None
        row = self._rows().filter(expires_at__gt=timezone.now()).select_related("signalement").first()
        if row is None:
            return None
        if row.fingerprint != self.fingerprint:
            raise IdempotencyError(
                f"Cette clé ({HEADER}) a déjà servi à déposer un autre signalement : "
                "employez une nouvelle clé pour un nouveau signalement.",
                status=422,
            )
        return row.signalement

    def file(self, file):
        """``file()`` and the key in one transaction; if a concurrent request with the same key
        committed first, its report (the unique constraint makes this one roll back entirely)."""
        if self.key is None:
            return file()
        now = timezone.now()
        try:
            with transaction.atomic():
                self._rows().filter(expires_at__lte=now).delete()
                report = file()
                IdempotencyKey.objects.create(
                    scope=self.scope,
                    client=client_digest(self.client),
                    key=self.key,
                    fingerprint=self.fingerprint,
                    signalement=report,
                    expires_at=now + timedelta(hours=settings.SIGNALEMENT_IDEMPOTENCY_HOURS),
                )
        except IntegrityError:
            report = self.previous()
            if report is None:
                raise
        return report


def purge_expired(now=None):
    return IdempotencyKey.objects.filter(expires_at__lte=now or timezone.now()).delete()[0]
