"""Navigation by role: each kind of user sees the links to their own work first."""

from __future__ import annotations

from django.urls import NoReverseMatch
from django.urls import reverse as _reverse
from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import scope_for


def reverse(name: str) -> str:
    try:
        return _reverse(name)
    except NoReverseMatch:  # an app that is not installed in this deployment
        return ""


def navigation(request) -> dict[str, object]:
    scope = scope_for(getattr(request, "user", None))
    items: list[tuple[str, str]] = [
        (reverse("home"), _("Home")),
        (reverse("catalogue:list"), _("Catalogue")),
    ]
    user = getattr(request, "user", None)
    registry_user = (
        scope.is_ministry or scope.is_officer or (scope.authenticated and user.role == "operator")
    )
    if registry_user:
        items += [
            (reverse("products:bumdes_list"), _("BUMDes")),
            (reverse("products:product_list"), _("Products")),
        ]
    if scope.is_ministry:
        items.append((reverse("products:curation"), _("Curation")))
    if scope.is_ministry or scope.is_officer:
        items.append((reverse("products:import_list"), _("Import")))
    if scope.authenticated:
        items.append((reverse("exporters:directory"), _("Exporters")))
        items.append((reverse("matchmaking:index"), _("Matchmaking")))
        items.append((reverse("forums:forum_list"), _("Forums")))
    if scope.is_exporter:
        items.append((reverse("matching:recommendations"), _("Recommendations")))
    if registry_user:
        items.append((reverse("matching:region"), _("Matches")))
    if scope.is_exporter:
        items.append((reverse("exporters:mine"), _("My organisation")))
    # Tools of ministry staff and developers go in a second, smaller row.
    tools: list[tuple[str, str]] = []
    if scope.is_ministry:
        tools += [
            (reverse("exporters:pending"), _("Verify organisations")),
            (reverse("matching:gaps"), _("Gaps")),
            (reverse("matching:weights"), _("Match weights")),
            (reverse("catalogue:contact_log"), _("Contact log")),
            (reverse("accounts:user_list"), _("Accounts")),
            (reverse("reference:retired"), _("Reference data")),
            (reverse("admin:index"), _("Administration")),
        ]
    tools.append((reverse("swagger-ui"), _("API")))
    return {
        "nav_items": [(url, label) for url, label in items if url],
        "nav_tools": [(url, label) for url, label in tools if url],
        "nav_scope": scope,
    }
