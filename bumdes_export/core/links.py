"""The shared apps' own links in the navigation and on the home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts import access as accounts_access
from bumdes_export.core.navigation import (
    HOME_ACTIONS,
    NAV_ITEMS,
    NAV_TOOLS,
    Link,
    everyone,
    register,
)
from bumdes_export.reference import access as reference_access


def register_links() -> None:
    register(NAV_ITEMS, Link(0, "home", _("Home"), everyone))
    register(
        NAV_TOOLS,
        Link(50, "accounts:user_list", _("Accounts"), accounts_access.can_manage_accounts),
        Link(
            60, "reference:retired", _("Reference data"), reference_access.can_manage_reference_data
        ),
        Link(70, "admin:index", _("Administration"), accounts_access.is_ministry),
        Link(80, "swagger-ui", _("API"), everyone),
    )
    register(
        HOME_ACTIONS,
        Link(60, "accounts:user_list", _("Manage accounts"), accounts_access.can_manage_accounts),
        Link(
            61,
            "accounts:invite",
            _("Invite a regional officer"),
            accounts_access.can_manage_accounts,
        ),
    )
