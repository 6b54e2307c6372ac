import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from signalements.models import Photo
from signalements.photos import clean_photo
from signalements.tasks import make_missing_thumbnails, make_thumbnail

from .conftest import image_file


def exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "Fabricant du téléphone"  # Make
    exif[0x8825] = {1: "N", 2: (43.0, 17.0, 42.0), 3: "E", 4: (5.0, 22.0, 27.0)}  # GPSInfo
    return exif


def test_exif_and_gps_are_removed():
    upload = image_file(exif=exif_with_gps())
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get(0x8825)
    upload.seek(0)
    cleaned = clean_photo(upload)
    with Image.open(io.BytesIO(cleaned.content.read())) as result:
        assert result.format == "JPEG"
        assert not result.getexif()
        assert "exif" not in result.info


def test_png_renamed_jpg_is_judged_by_content():
    upload = image_file("vraiment-un-png.jpg", fmt="PNG")
    cleaned = clean_photo(upload)
    assert (cleaned.width, cleaned.height) == (640, 480)


def test_text_renamed_jpg_is_refused():
    upload = SimpleUploadedFile("photo.jpg", b"ceci n'est pas une image", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="n'est pas une image JPEG, PNG ou WebP lisible"):
        clean_photo(upload)


def test_svg_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError):
        clean_photo(SimpleUploadedFile("image.svg", svg, content_type="image/svg+xml"))


def test_gif_is_refused_by_format():
    upload = image_file("anim.gif", fmt="GIF")
    with pytest.raises(ValidationError, match="format GIF"):
        clean_photo(upload)


def test_oversized_file_is_refused(settings):
    settings.SIGNALEMENT_PHOTO_MAX_BYTES = 1024
    with pytest.raises(ValidationError, match="dépasse la taille maximale"):
        clean_photo(image_file(size=(800, 800)))


def test_too_many_pixels_is_refused(settings):
    settings.SIGNALEMENT_PHOTO_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError, match="trop grande"):
        clean_photo(image_file(size=(200, 200)))


def test_large_photo_is_resized(settings):
    settings.SIGNALEMENT_PHOTO_MAX_SIDE = 300
    cleaned = clean_photo(image_file(size=(1200, 600)))
    assert (cleaned.width, cleaned.height) == (300, 150)


def test_thumbnail_task_is_idempotent(
    client, marseille_setup, categories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        client.post(
            "/signalements/nouveau/",
            {"lat": 43.2951, "lon": 5.3741, "categorie": categories["proprete"].pk, "description": "x",
             "photos": [image_file(size=(1600, 1200))]},
        )  # fmt: skip
    photo = Photo.objects.get()
    assert not photo.thumbnail
    assert make_missing_thumbnails() == 1
    photo.refresh_from_db()
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert max(thumbnail.size) == 400
    assert make_thumbnail(photo.pk) is False
