"""Template helpers of the list pages: the current filters as a query string, for download links."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def current_filters(context: dict[str, Any]) -> str:
    """The request's query string without the page number and the download format."""
    params = context["request"].GET.copy()
    for name in ("page", "export"):
        params.pop(name, None)
    return params.urlencode()
