"""Navigation by role: each kind of user sees the links to their own work first. The links
come from the apps (``bumdes_export.core.navigation``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bumdes_export.accounts.access import scope_for
from bumdes_export.core import navigation


def navigation_links(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation.links_for(navigation.NAV_ITEMS, user),
        "nav_tools": navigation.links_for(navigation.NAV_TOOLS, user),
        "nav_scope": scope_for(user),
    }
