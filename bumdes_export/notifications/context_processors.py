"""The unread count in every page's header."""

from __future__ import annotations

from django.http import HttpRequest

from bumdes_export.notifications import selectors


def unread_notifications(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": selectors.unread_count(user)}
