"""Uploaded images: validated with Pillow, size-limited, with a server-made thumbnail."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
THUMBNAIL_SIZE = (400, 400)


def validated_image(upload: UploadedFile, *, field: str = "image") -> tuple[bytes, ContentFile]:
    """Check that ``upload`` is a real image within limits; return its bytes and a thumbnail."""
    if upload.size > PHOTO_MAX_BYTES:
        raise ValidationError({field: _("A photo may be at most 5 MB.")})
    raw = upload.read()
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(raw))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError({field: _("This file is not a JPEG, PNG or WebP image.")}) from None
    if image.format not in PHOTO_FORMATS:
        raise ValidationError({field: _("Upload photos as JPEG, PNG or WebP.")})
    if image.width * image.height > 40_000_000:
        raise ValidationError({field: _("The image is too large (at most 40 megapixels).")})
    thumb = image.convert("RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    out = io.BytesIO()
    thumb.save(out, format="JPEG", quality=85)
    return raw, ContentFile(out.getvalue(), name="thumb.jpg")
