"""Downloads of published files over HTTP, as real clients use them: validators, 304, ranges, digest.

The live-server tests drive clients nobody here wrote: ``curl`` (Debian) and ``httpx``, plus
Python's ``urllib``; the Django test client checks the header details.
"""

import base64
import hashlib
import os
import shutil
import subprocess

import httpx
import pytest
from django.urls import reverse
from django.utils.http import http_date

from gouvernance.models import JeuDeDonnees
from observatoire.opendata import downloads
from observatoire.opendata.models import Ressource
from observatoire.opendata.services import publish
from observatoire.opendata.sources import sync_catalogue

SLUG = "communes-metropole"


@pytest.fixture
def publie(territoire):
    sync_catalogue()
    publish(JeuDeDonnees.objects.get(slug=SLUG))
    return Ressource.objects.select_related("publication").get(publication__jeu__slug=SLUG, format="csv")


def _bytes(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def _status(response):
    _bytes(response)  # read to the end: the test client closes the file then
    return response.status_code


def _file(ressource, settings):
    return (settings.MEDIA_ROOT / ressource.fichier).read_bytes()


def test_validators_digest_and_csv_media_type(client, publie, settings):
    response = client.get(reverse("opendata:telecharger", args=[SLUG, "csv"]))
    body = _bytes(response)
    assert response.status_code == 200 and body == _file(publie, settings)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"' == f'"{publie.sha256}"'
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"
    assert "Digest" not in response  # the obsolete RFC 3230 header (in a wrong form) is gone
    assert response["Last-Modified"] == http_date(publie.publication.created_at.timestamp())
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(body))
    assert response["Cache-Control"] == "public, no-cache"  # the stable URL changes with each version
    version = client.get(reverse("opendata:version", args=[SLUG, 1, "csv"]))
    assert "immutable" in version["Cache-Control"]
    _bytes(version)
    geojson = client.get(reverse("opendata:telecharger", args=[SLUG, "geojson"]))
    assert geojson["Content-Type"] == "application/geo+json"
    _bytes(geojson)  # read to the end: the test client closes the file then


def test_conditional_get_answers_304(client, publie):
    url = reverse("opendata:telecharger", args=[SLUG, "csv"])
    etag = f'"{publie.sha256}"'
    not_modified = client.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag and "Repr-Digest" in not_modified
    assert _status(client.get(url, headers={"If-None-Match": '"autre"'})) == 200
    since = http_date(publie.publication.created_at.timestamp())
    assert _status(client.get(url, headers={"If-Modified-Since": since})) == 304
    assert _status(client.get(url, headers={"If-Modified-Since": http_date(0)})) == 200
    assert _status(client.get(url, headers={"If-Match": '"autre"'})) == 412


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=10-", (10, None)),
        ("bytes=-5", (-5, None)),
        ("bytes=5-100000000", (5, None)),
    ],
)
def test_single_range_answers_206(client, publie, settings, header, expected):
    whole = _file(publie, settings)
    response = client.get(reverse("opendata:telecharger", args=[SLUG, "csv"]), headers={"Range": header})
    assert response.status_code == 206
    start, end = expected
    part = whole[start : end + 1 if end is not None else None]
    assert _bytes(response) == part
    first = len(whole) + start if start < 0 else start
    assert response["Content-Range"] == f"bytes {first}-{first + len(part) - 1}/{len(whole)}"
    assert response["Content-Length"] == str(len(part))
    assert response["Repr-Digest"] == downloads.repr_digest(publie.sha256)  # of the whole file


def test_unsatisfiable_and_ignored_ranges(client, publie, settings):
    url = reverse("opendata:telecharger", args=[SLUG, "csv"])
    size = len(_file(publie, settings))
    refused = client.get(url, headers={"Range": f"bytes={size}-"})
    assert refused.status_code == 416 and refused["Content-Range"] == f"bytes */{size}"
    assert _status(client.get(url, headers={"Range": "bytes=-0"})) == 416
    for ignored in ("lignes=0-9", "bytes=9-2", "bytes=0-1,5-9"):
        assert _status(client.get(url, headers={"Range": ignored})) == 200, ignored
    # If-Range: the range only for the same file; another version gets the whole file.
    same = client.get(url, headers={"Range": "bytes=0-9", "If-Range": f'"{publie.sha256}"'})
    other = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"une-autre-version"'})
    assert _status(same) == 206 and _status(other) == 200


def test_head_gives_the_headers_without_the_body(client, publie):
    response = client.head(reverse("opendata:telecharger", args=[SLUG, "csv"]))
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Length"] == str(publie.taille) and response["ETag"] == f'"{publie.sha256}"'
    assert _status(client.post(reverse("opendata:telecharger", args=[SLUG, "csv"]))) == 405


class _FakeS3Object:
    """What django-storages' S3File.obj offers: ``get(Range=…)`` returning a streaming body."""

    def __init__(self, data):
        self.data, self.ranges = data, []

    def get(self, Range):
        self.ranges.append(Range)
        start, end = (int(x) for x in Range.removeprefix("bytes=").split("-"))
        chunk = self.data[start : end + 1]

        class Body:
            def iter_chunks(self, size):
                yield from (chunk[i : i + size] for i in range(0, len(chunk), size))

        return {"Body": Body()}


def test_on_object_storage_ranges_are_asked_of_the_store(client, publie, settings, monkeypatch):
    data = _file(publie, settings)
    s3_object = _FakeS3Object(data)

    class S3File:
        obj = s3_object

        def close(self):
            pass

    monkeypatch.setattr(downloads.default_storage, "open", lambda name, mode="rb": S3File())
    url = reverse("opendata:telecharger", args=[SLUG, "csv"])
    part = client.get(url, headers={"Range": "bytes=3-12"})
    assert part.status_code == 206 and _bytes(part) == data[3:13]
    whole = client.get(url)
    assert _bytes(whole) == data
    assert s3_object.ranges == ["bytes=3-12", f"bytes=0-{len(data) - 1}"]


def test_catalogue_pages_beyond_the_last_are_404(client, publie):
    assert _status(client.get(reverse("opendata:liste"), {"page": 1})) == 200
    assert _status(client.get(reverse("opendata:liste"), {"page": 2})) == 404
    for page in ("2", "0", "x"):
        assert _status(client.get(reverse("opendata:dcat", args=["ttl"]), {"page": page})) == 404, page
    assert _status(client.get(reverse("opendata:dcat", args=["ttl"]), {"page": 1})) == 200


def test_dataset_page_shows_the_full_sha256(client, publie):
    page = client.get(reverse("opendata:jeu", args=[SLUG])).content.decode()
    assert publie.sha256 in page


# --- Real clients against the live test server --------------------------------------------


CURL = shutil.which("curl")


# Installed by `make test` (scripts/install-system.sh test); only a bare local run may lack it.
@pytest.mark.skipif(CURL is None and not os.environ.get("CI"), reason="curl absent (make test l'installe)")
def test_curl_resumes_and_revalidates(live_server, publie, settings, tmp_path):
    url = live_server.url + reverse("opendata:telecharger", args=[SLUG, "csv"])
    whole = _file(publie, settings)

    def curl(*args):
        return subprocess.run([CURL, "-sS", "-D", "-", *args, url], capture_output=True, check=True).stdout

    ranged = curl("--range", "0-99")
    assert b"HTTP/1.1 206" in ranged and ranged.endswith(whole[:100])
    assert f"content-range: bytes 0-99/{len(whole)}".encode() in ranged.lower()
    # A download cut after 100 bytes, resumed by curl itself (-C -): the file is whole again.
    partial = tmp_path / "communes.csv"
    partial.write_bytes(whole[:100])
    subprocess.run([CURL, "-sS", "-C", "-", "-o", str(partial), url], check=True)
    assert partial.read_bytes() == whole
    # -z FILE: If-Modified-Since from the file's date; a file newer than the publication → 304.
    assert b"HTTP/1.1 304" in curl("-z", str(partial))
    assert b"HTTP/1.1 304" in curl("-H", f'If-None-Match: "{publie.sha256}"')


def test_httpx_and_urllib_see_the_same_contract(live_server, publie, settings):
    import urllib.error
    import urllib.request

    url = live_server.url + reverse("opendata:telecharger", args=[SLUG, "csv"])
    whole = _file(publie, settings)
    with httpx.Client() as http:
        first = http.get(url)
        assert first.status_code == 200 and first.content == whole
        assert first.headers["content-type"] == "text/csv; charset=utf-8"
        digest = first.headers["repr-digest"].removeprefix("sha-256=:").removesuffix(":")
        assert base64.b64decode(digest) == hashlib.sha256(first.content).digest()
        again = http.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        tail = http.get(url, headers={"Range": "bytes=-10"})
        assert tail.status_code == 206 and tail.content == whole[-10:]
        assert http.get(url, headers={"Range": f"bytes={len(whole) + 5}-"}).status_code == 416
    request = urllib.request.Request(url, headers={"Range": "bytes=1-4"})  # noqa: S310 - live test server
    with urllib.request.urlopen(request) as answer:  # noqa: S310
        assert answer.status == 206 and answer.read() == whole[1:5]
    since = {"If-Modified-Since": first.headers["last-modified"]}
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(urllib.request.Request(url, headers=since))  # noqa: S310
    assert error.value.code == 304
