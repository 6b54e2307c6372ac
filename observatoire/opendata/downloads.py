"""A published file over HTTP: validators, conditional GET, byte ranges and the digest.

A version's files never change, so the file's SHA-256 is a strong validator: it is the ``ETag``
(RFC 9110 §8.8.3), and the digest of the representation (RFC 9530 ``Repr-Digest``, base64 of the
raw hash between colons). ``Last-Modified`` is the publication's date. A client that already holds
the file gets a 304; one that resumes a download asks for a byte range and gets a 206 (a single
range: several ranges in one request are answered with the whole file, as RFC 9110 §14.2 allows).

The bytes come from the media storage as they do today: a local file is handed to the WSGI
server (sendfile for a whole file); on S3-like object storage (django-storages) the range is asked
of the object store itself (``GetObject`` with ``Range``), so nothing is spooled to a local disk.
"""

import base64
import re

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe

CHUNK = 64 * 1024
# A version's URL always gives the same bytes; the stable URL changes with each publication,
# so its copies are revalidated (a cheap 304 thanks to the ETag).
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def repr_digest(sha256_hex):
    """RFC 9530 field value for a SHA-256 given in hexadecimal: ``sha-256=:<base64>:``."""
    return f"sha-256=:{base64.b64encode(bytes.fromhex(sha256_hex)).decode()}:"


def content_type(media_type):
    """Text formats say their encoding (every file is written in UTF-8); JSON types need not."""
    if media_type.startswith("text/") and "charset" not in media_type:
        return f"{media_type}; charset=utf-8"
    return media_type


def byte_range(header, size):
    """(start, end) inclusive for a single ``Range: bytes=…`` header; None to send the whole file;
    ``"unsatisfiable"`` when no byte of the file is in the range (416)."""
    match = _RANGE.match((header or "").replace(" ", ""))
    if match is None:  # absent, another unit, several ranges or malformed: ignored (RFC 9110 §14.2)
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None  # invalid range-spec: ignored
    if start >= size:
        return "unsatisfiable"
    return start, end


def _if_range_allows(request, etag, last_modified):
    """A range is served only if the client's copy is still this file (If-Range, strong comparison)."""
    condition = request.headers.get("If-Range")
    if condition is None:
        return True
    if condition.startswith('"'):
        return condition == etag
    return parse_http_date_safe(condition) == last_modified


def stream(name, start, end):
    """The bytes start..end (inclusive) of a stored file, in chunks; the file is closed at the end."""
    handle = default_storage.open(name, "rb")
    s3_object = getattr(handle, "obj", None)  # django-storages' S3File: not downloaded until read
    try:
        if s3_object is not None:
            body = s3_object.get(Range=f"bytes={start}-{end}")["Body"]
            yield from body.iter_chunks(CHUNK)
            return
        handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            block = handle.read(min(CHUNK, remaining))
            if not block:
                return
            remaining -= len(block)
            yield block
    finally:
        handle.close()


def _whole_file(ressource, size):
    handle = default_storage.open(ressource.fichier, "rb")
    if getattr(handle, "obj", None) is None:  # a local file: the WSGI server may use sendfile
        return FileResponse(handle)
    handle.close()
    return StreamingHttpResponse(stream(ressource.fichier, 0, size - 1))


def serve(request, ressource, *, immutable):
    """The response to a GET or HEAD of ``ressource`` (a published file)."""
    etag = f'"{ressource.sha256}"'
    last_modified = int(ressource.publication.created_at.timestamp())
    size = ressource.taille
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Cache-Control": IMMUTABLE if immutable else REVALIDATE,
        "Accept-Ranges": "bytes",
        "Repr-Digest": repr_digest(ressource.sha256),
    }
    answered = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if answered is not None:  # 304 Not Modified, or 412 when an If-Match fails
        for key, value in headers.items():
            answered[key] = value
        return answered

    wanted = byte_range(request.headers.get("Range"), size)
    if wanted is not None and not _if_range_allows(request, etag, last_modified):
        wanted = None
    if wanted == "unsatisfiable":
        response = HttpResponse(status=416, content_type="text/plain; charset=utf-8")
        response["Content-Range"] = f"bytes */{size}"
        response["Content-Length"] = "0"
    elif request.method == "HEAD":
        response = HttpResponse()
        response["Content-Length"] = str(size)
    elif wanted is None:
        response = _whole_file(ressource, size)
        response["Content-Length"] = str(size)
    else:
        start, end = wanted
        response = StreamingHttpResponse(stream(ressource.fichier, start, end), status=206)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    if response.status_code != 416:
        response["Content-Type"] = content_type(ressource.media_type)
        name = ressource.fichier.rsplit("/", 1)[-1]
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    for key, value in headers.items():
        response[key] = value
    return response
