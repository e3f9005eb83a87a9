"""Names of reference data in the reader's language (countries: Indonesian or English)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def localized(thing: Any) -> str:
    """``thing.localized_name`` in the active language; ``str(thing)`` when it has none."""
    if thing is None:
        return ""
    name = getattr(thing, "localized_name", None)
    return name(translation.get_language() or "id") if callable(name) else str(thing)
