"""Photo intake: check the content (not the extension), strip metadata, bound the size."""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def clean_photo(uploaded):
    """Re-encode an upload as a plain JPEG (no EXIF: no GPS, no device), or raise ValidationError."""
    name = getattr(uploaded, "name", "photo")
    if uploaded.size > settings.SIGNALEMENT_PHOTO_MAX_BYTES:
        limit = settings.SIGNALEMENT_PHOTO_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"« {name} » dépasse la taille maximale de {limit} Mo.")
    data = uploaded.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as error:
        raise ValidationError(f"« {name} » n'est pas une image JPEG, PNG ou WebP lisible.") from error
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            f"« {name} » est au format {image_format} : seuls JPEG, PNG et WebP sont acceptés."
        )
    if width * height > settings.SIGNALEMENT_PHOTO_MAX_PIXELS:
        raise ValidationError(f"« {name} » est trop grande ({width} × {height} pixels).")
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            background.paste(image, mask=image.convert("RGBA").getchannel("A"))
            image = background
        image.thumbnail((settings.SIGNALEMENT_PHOTO_MAX_SIDE, settings.SIGNALEMENT_PHOTO_MAX_SIDE))
        output = io.BytesIO()
        # Saving without exif= drops every metadata block.
        image.convert("RGB").save(output, format="JPEG", quality=85, optimize=True)
        return CleanPhoto(ContentFile(output.getvalue(), name="photo.jpg"), image.width, image.height)


def clean_photos(uploads):
    """``clean_photo`` on each upload; one ValidationError with every photo's problem."""
    cleaned, errors = [], []
    for uploaded in uploads:
        try:
            cleaned.append(clean_photo(uploaded))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


THUMBNAIL_SIDE = 400


def thumbnail_of(image_file):
    """A small JPEG of an already cleaned photo."""
    with Image.open(image_file) as image:
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        output = io.BytesIO()
        image.convert("RGB").save(output, format="JPEG", quality=80, optimize=True)
    return ContentFile(output.getvalue(), name="vignette.jpg")
