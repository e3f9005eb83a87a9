"""The language a request is served in, in one place."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


def active_language() -> str:
    """The two-letter code of the active language (``id``, ``en`` ...); the site's default
    language (Bahasa Indonesia) outside a request."""
    return (get_language() or settings.LANGUAGE_CODE)[:2]
