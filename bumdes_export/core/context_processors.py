"""Navigation by role: each kind of user sees the links to their own work first."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import scope_for


def navigation(request) -> dict[str, object]:
    scope = scope_for(getattr(request, "user", None))
    items: list[tuple[str, str]] = [(reverse("home"), _("Home"))]
    if scope.is_ministry:
        items += [
            (reverse("accounts:user_list"), _("Accounts")),
            (reverse("reference:retired"), _("Reference data")),
            (reverse("admin:index"), _("Administration")),
        ]
    items.append((reverse("swagger-ui"), _("API")))
    return {"nav_items": items, "nav_scope": scope}
