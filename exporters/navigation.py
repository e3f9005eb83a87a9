"""The directory's links in the navigation and on the home page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bumdes_export.accounts.access import is_signed_in
from bumdes_export.core.navigation import HOME_ACTIONS, NAV_ITEMS, NAV_TOOLS, Link, register
from exporters import access


def register_links() -> None:
    register(
        NAV_ITEMS,
        Link(60, "exporters:directory", _("Exporters"), is_signed_in),
        Link(110, "exporters:mine", _("My organisation"), access.has_own_organisation),
    )
    register(NAV_TOOLS, Link(10, "exporters:pending", _("Verify organisations"), access.can_verify))
    register(
        HOME_ACTIONS,
        Link(25, "exporters:pending", _("Organisations to verify"), access.can_verify),
        Link(50, "exporters:mine", _("My organisation"), access.has_own_organisation),
    )
